// hindsight: train, evaluate, record and plot hierarchical goal-conditioned agents.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_parse.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/train/comm.hpp"

namespace {

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
  try {
    CLI::App app("hindsight: train, evaluate, record and plot hierarchical goal-conditioned agents (HAC, DDPG+HER)",
                 "hindsight");
    // One command at most, so that a later word such as a run directory named `eval` stays a word; no command
    // and unknown words are reported below with the CLI's own exit codes and wording.
    app.require_subcommand(0, 1);
    app.allow_extras();
    set_help_layout(app);
    const std::vector<Command> commands = {add_train(app), add_eval(app), add_record(app), add_plot(app),
                                           add_env(app)};
    for (const Command& c : commands) {
      c.app->allow_extras();  // unknown flags are refused by check_no_unknown_flags, in the CLI's wording
      c.app->group("Commands");
    }
    // Set after the commands are added, which would otherwise inherit it.
    app.footer(
        "Run `hindsight COMMAND --help` for the flags of a command;\n"
        "`mpirun -np N hindsight train ...` trains one run across N processes or nodes.");
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {
      return app.exit(e);  // --help: the selected command's help on stdout, exit 0
    } catch (const CLI::ParseError& e) {
      fail(parse_error_message(e), 1);
    }
    if (const auto extras = app.remaining(false); !extras.empty()) {
      std::fprintf(stderr, "hindsight: unknown command '%s' (try: hindsight --help)\n", extras.front().c_str());
      return 2;
    }
    for (const Command& c : commands) {
      if (c.app->parsed()) {
        check_no_unknown_flags(*c.app);
        return c.run();
      }
    }
    std::cerr << app.help();  // no command: a usage error
    return 2;
  } catch (const hindsight::Error& e) {
    fail(e.what(), 1);
  } catch (const std::exception& e) {
    fail(std::string("internal error: ") + e.what(), 3);
  }
}
