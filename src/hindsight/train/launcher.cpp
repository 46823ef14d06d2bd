#include "hindsight/train/launcher.hpp"

#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "hindsight/core/error.hpp"
#include "hindsight/io/process.hpp"

namespace hindsight::train {
namespace {

// Set by a self-launch in its ranks' environment: they must train, not launch again.
constexpr const char* kLaunchedVar = "HINDSIGHT_LAUNCHED";

// Sets name=value unless the user set name already (their choice wins).
void set_default_env(const char* name, const char* value) { ::setenv(name, value, 0); }

}  // namespace

int usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

int resolve_ranks(const std::optional<int>& ranks) { return ranks ? *ranks : usable_cores(); }

bool started_by_launcher() {
  for (const char* var : {kLaunchedVar, "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(var) != nullptr) return true;
  }
  return false;
}

std::vector<std::string> launch_command(const std::string& mpiexec, const std::string& exe, int ranks,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> cmd{mpiexec, "-n", std::to_string(ranks), exe};
  cmd.insert(cmd.end(), args.begin(), args.end());
  return cmd;
}

void relaunch_under_mpi(int ranks, const std::vector<std::string>& args) {
#ifndef HINDSIGHT_HAVE_MPI
  throw Error("ranks=" + std::to_string(ranks) +
              " needs MPI, and this build has none (install libopenmpi-dev and rebuild), or set ranks=1");
#else
  std::string mpiexec;
  if (const char* v = std::getenv("HINDSIGHT_MPIEXEC"); v != nullptr && *v != '\0') {
    mpiexec = v;
  } else if (const auto found = io::find_on_path("mpirun")) {
    mpiexec = *found;
  }
  check(!mpiexec.empty(), "ranks=" + std::to_string(ranks) +
                              " starts the ranks with mpirun, which is not on PATH (install openmpi-bin), "
                              "or set ranks=1");
  std::error_code ec;
  const std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  check(!ec && !exe.empty(), "cannot find this program's own path to start its ranks: " + ec.message());

  ::setenv(kLaunchedVar, "1", 1);
  // Open MPI refuses to start as root unless told twice; a root user asking for ranks has told us.
  if (::geteuid() == 0) {
    set_default_env("OMPI_ALLOW_RUN_AS_ROOT", "1");
    set_default_env("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
  }
  // Cross-memory attach needs ptrace rights that containers often withhold; copying through shared
  // memory works everywhere and costs nothing measurable at our message sizes.
  set_default_env("OMPI_MCA_btl_vader_single_copy_mechanism", "none");
  if (ranks > usable_cores()) {
    // More ranks than cores: allowed, and they must yield while they wait in a collective.
    set_default_env("OMPI_MCA_rmaps_base_oversubscribe", "1");
    set_default_env("OMPI_MCA_mpi_yield_when_idle", "1");
  }
  const auto cmd = launch_command(mpiexec, exe, ranks, args);
  std::string shown;
  for (const auto& w : cmd) shown += (shown.empty() ? "" : " ") + w;
  std::fprintf(stderr, "hindsight: starting %d ranks: %s\n", ranks, shown.c_str());
  std::fflush(stderr);
  std::vector<char*> argv;
  for (const auto& w : cmd) argv.push_back(const_cast<char*>(w.c_str()));
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  throw Error("cannot start " + mpiexec + ": " + std::strerror(errno));
#endif
}

}  // namespace hindsight::train
