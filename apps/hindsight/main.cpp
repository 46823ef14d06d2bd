// hindsight: train, evaluate, record and plot hierarchical goal-conditioned agents.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <string>

#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/train/comm.hpp"

namespace {

void usage(std::FILE* out) {
  std::fputs(
      "usage: hindsight <command> [args]\n"
      "  train  [--config FILE] [--env NAME] [--levels K] [--epochs N] [--seed S] [--out DIR] [key=value ...]\n"
      "  train  --resume RUN_DIR [epochs=N]          continue a run from its newest checkpoint\n"
      "  eval   RUN_DIR [--episodes N] [--seed S] [--checkpoint best|latest|PATH]\n"
      "  record RUN_DIR [--checkpoint best|latest|PATH] [--episodes N] [--seed S] [--out FILE.mp4]\n"
      "         [--width W --height H] [--gif] [--png DIR] [--no-shadows]   video with goal markers\n"
      "  plot   RUN_DIR [RUN_DIR ...] [--out DIR] [--smooth W] [--x env_steps|epoch|wall_seconds]\n"
      "  env    NAME [--reset] [--seed S] [--json]   spaces and the first observation\n"
      "  env    NAME --scripted --episodes N [--seed S]  run the scripted expert\n"
      "  env    --list                             registered env names\n",
      out);
}

// Prints the one error line and exits; under MPI the line names the rank and the whole job is stopped,
// so no other rank is left waiting in a collective.
[[noreturn]] void fail(const std::string& message, int code) {
  const int rank = hindsight::train::launched_rank();
  if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE")) {
    std::fprintf(stderr, "hindsight: rank %d: %s\n", rank, message.c_str());
    std::fflush(stderr);
    hindsight::train::abort_all_ranks(code);
  } else {
    std::fprintf(stderr, "hindsight: %s\n", message.c_str());
  }
  std::exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hindsight::cli;
  const std::map<std::string, std::function<int(const Args&)>> commands = {
      {"env", cmd_env},
      {"train", cmd_train},
      {"eval", cmd_eval},
      {"record", cmd_record},
      {"plot", cmd_plot},
  };
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const auto it = commands.find(argv[1]);
  if (it == commands.end()) {
    std::fprintf(stderr, "hindsight: unknown command '%s' (try: hindsight --help)\n", argv[1]);
    return 2;
  }
  try {
    return it->second(Args(argv + 2, argv + argc));
  } catch (const hindsight::Error& e) {
    fail(e.what(), 1);
  } catch (const std::exception& e) {
    fail(std::string("internal error: ") + e.what(), 3);
  }
}
