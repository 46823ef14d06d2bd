#pragma once
// Helpers shared by the test files: a fresh scratch directory per test, and the message of an
// expected one-line Error.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "hindsight/core/error.hpp"

namespace hindsight::testing {

// An empty directory for the running test: TempDir()/hindsight_tests/<suite>/<test>, wiped first.
inline std::string test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "hindsight_tests" / info->test_suite_name() / info->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Runs fn, expecting a one-line hindsight::Error; returns its message ("" and a failure otherwise).
template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "multi-line error: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no Error thrown";
  return "";
}

}  // namespace hindsight::testing
