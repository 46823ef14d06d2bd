#include "hindsight/io/process.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hindsight/core/error.hpp"

namespace hindsight::io {
namespace {

TEST(Process, FindsToolsOnPath) {
  const auto sh = find_on_path("sh");
  ASSERT_TRUE(sh.has_value());
  EXPECT_EQ(sh->back(), 'h');
  EXPECT_FALSE(find_on_path("no-such-tool-hindsight").has_value());
}

TEST(Process, ExitStatusAndLastStderrLine) {
  const std::string sh = *find_on_path("sh");
  std::string err;
  EXPECT_EQ(run_process({sh, "-c", "echo first >&2; echo 'the reason' >&2; exit 3"}, &err), 3);
  EXPECT_EQ(err, "the reason");
  EXPECT_EQ(run_process({sh, "-c", "exit 0"}, &err), 0);
  EXPECT_EQ(err, "");
}

TEST(Process, StdinStreamsToTheChild) {
  const std::string sh = *find_on_path("sh");
  ChildProcess child({sh, "-c", "n=$(wc -c); echo \"$n\" >&2"}, true);
  const std::vector<std::uint8_t> bytes(300000, 7);  // larger than a socket buffer
  EXPECT_TRUE(child.write(bytes));
  EXPECT_EQ(child.wait(), 0);
  EXPECT_EQ(child.stderr_last_line(), "300000");
}

TEST(Process, WritingToAChildThatExitedFailsInsteadOfKillingUs) {
  const std::string sh = *find_on_path("sh");
  ChildProcess child({sh, "-c", "exit 1"}, true);
  const std::vector<std::uint8_t> bytes(1 << 20, 1);
  // The child never reads; once it has exited, writing reports failure (no SIGPIPE).
  bool ok = true;
  for (int i = 0; i < 8 && ok; ++i) ok = child.write(bytes);
  EXPECT_FALSE(ok);
  EXPECT_EQ(child.wait(), 1);
}

TEST(Process, AnAbandonedChildIsStopped) {
  const std::string sh = *find_on_path("sh");
  { ChildProcess child({sh, "-c", "exec sleep 30"}, true); }  // must return at once, not after 30 s
  SUCCEED();
}

TEST(Process, AMissingProgramIsAnError) {
  EXPECT_THROW(ChildProcess({"/nonexistent/tool"}, false), Error);
}

}  // namespace
}  // namespace hindsight::io
