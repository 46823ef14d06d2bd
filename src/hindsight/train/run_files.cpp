#include "hindsight/train/run_files.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

#include <nlohmann/json.hpp>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/checkpoint.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/learn/normalizer.hpp"

namespace hindsight::train {
namespace {

constexpr int kCheckpointVersion = 1;

// The "format" section of a checkpoint or rank-state file at path, parsed; Error when it is not JSON.
nlohmann::json format_section(const io::Checkpoint& ck, const std::string& path) {
  try {
    return nlohmann::json::parse(ck.get("format"));
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": damaged format section");
  }
}

}  // namespace

void save_normalizers(const std::string& path, learn::Agent& agent) {
  nlohmann::json j;
  j["format"] = "hindsight-normalizers";
  j["version"] = 1;
  j["levels"] = nlohmann::json::array();
  for (learn::Level* l : agent.levels()) j["levels"].push_back({{"obs", l->obs_norm().to_json()}, {"goal", l->goal_norm().to_json()}});
  io::write_file_atomic(path, j.dump(2) + "\n");
}

void load_normalizers(const std::string& path, learn::Agent& agent) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(io::read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  check(j.is_object() && j.value("format", "") == "hindsight-normalizers" && j.contains("levels") &&
            j["levels"].is_array(),
        path + ": not a hindsight normalizer file (expected \"format\": \"hindsight-normalizers\")");
  const auto levels = agent.levels();
  check(j["levels"].size() == levels.size(), path + ": holds " + std::to_string(j["levels"].size()) +
                                                 " level(s), the agent has " + std::to_string(levels.size()));
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const auto& lj = j["levels"][i];
    check(lj.is_object() && lj.contains("obs") && lj.contains("goal"),
          path + ": level " + std::to_string(i) + " needs \"obs\" and \"goal\"");
    const std::string where = path + " (level " + std::to_string(i) + ")";
    auto obs = learn::Normalizer::from_json(lj["obs"], where + " obs");
    auto goal = learn::Normalizer::from_json(lj["goal"], where + " goal");
    check(obs.dims() == levels[i]->obs_norm().dims(), where + ": obs has " + std::to_string(obs.dims()) +
                                                          " dims, the env has " +
                                                          std::to_string(levels[i]->obs_norm().dims()));
    check(goal.dims() == levels[i]->goal_norm().dims(), where + ": goal has " + std::to_string(goal.dims()) +
                                                            " dims, the env has " +
                                                            std::to_string(levels[i]->goal_norm().dims()));
    levels[i]->set_normalizers(std::move(obs), std::move(goal));
  }
}

void save_checkpoint(const std::string& path, const TrainConfig& cfg, learn::Agent& agent, const Counters& c,
                     bool with_replay, const std::string& previous) {
  io::Checkpoint ck;
  const auto levels = agent.levels();
  ck.set("format", nlohmann::json{{"format", "hindsight-checkpoint"},
                                  {"version", kCheckpointVersion},
                                  {"env", cfg.env},
                                  {"levels", levels.size()}}
                       .dump());
  ck.set("config", to_yaml(cfg));
  ck.set("counters", nlohmann::json{{"epoch", c.epoch},
                                    {"env_steps", c.env_steps},
                                    {"episodes", c.episodes},
                                    {"wall_seconds", c.wall_seconds},
                                    {"best_success", c.best_success},
                                    {"ranks", c.ranks}}
                         .dump());
  ck.set("agent/rng", agent.rng().state());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string p = "level/" + std::to_string(i) + "/";
    ck.set(p + "learner", levels[i]->learner().save());
    ck.set(p + "obs_norm", levels[i]->obs_norm().to_json().dump());
    ck.set(p + "goal_norm", levels[i]->goal_norm().to_json().dump());
    if (with_replay) {
      ck.set(p + "replay", levels[i]->buffer().save());
      ck.set(p + "fixed", levels[i]->fixed().save());
    }
  }
  if (previous.empty()) {
    ck.write(path);
  } else {
    ck.write_rotating(path, previous);
  }
}

Counters load_checkpoint(const std::string& path, const TrainConfig& cfg, learn::Agent& agent) {
  const io::Checkpoint ck = io::Checkpoint::read(path);
  const nlohmann::json fmt = format_section(ck, path);
  check(fmt.value("format", "") == "hindsight-checkpoint", path + ": not a hindsight checkpoint");
  check(fmt.value("version", 0) == kCheckpointVersion,
        path + ": checkpoint version " + std::to_string(fmt.value("version", 0)) + " is not supported");
  const auto levels = agent.levels();
  check(fmt.value("env", "") == cfg.env,
        path + ": checkpoint is for env " + fmt.value("env", std::string("?")) + ", the run uses " + cfg.env);
  check(fmt.value("levels", 0u) == levels.size(),
        path + ": checkpoint has " + std::to_string(fmt.value("levels", 0u)) + " level(s), the run uses " +
            std::to_string(levels.size()));
  Counters c;
  try {
    const auto j = nlohmann::json::parse(ck.get("counters"));
    c.epoch = j.at("epoch").get<int>();
    c.env_steps = j.at("env_steps").get<long>();
    c.episodes = j.at("episodes").get<long>();
    c.wall_seconds = j.at("wall_seconds").get<double>();
    c.best_success = j.at("best_success").get<double>();
    // Checkpoints from before multi-rank resume was checked do not say; they came from one process.
    c.ranks = j.value("ranks", 1);
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": damaged counters section");
  }
  // Counts index seeds and epochs: a negative one would replay other episodes or never end.
  check(c.epoch >= 0 && c.env_steps >= 0 && c.episodes >= 0 && c.ranks >= 1 && std::isfinite(c.wall_seconds),
        path + ": damaged counters section (negative or non-finite counts)");
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string p = "level/" + std::to_string(i) + "/";
    levels[i]->learner().load(ck.get(p + "learner"));
    auto parse = [&](const std::string& name) {
      try {
        return learn::Normalizer::from_json(nlohmann::json::parse(ck.get(p + name)), path + " " + p + name);
      } catch (const nlohmann::json::exception&) {
        throw Error(path + ": damaged section " + p + name);
      }
    };
    levels[i]->set_normalizers(parse("obs_norm"), parse("goal_norm"));
    if (ck.has(p + "replay")) levels[i]->buffer().load(ck.get(p + "replay"), path + " " + p + "replay");
    if (ck.has(p + "fixed")) levels[i]->fixed().load(ck.get(p + "fixed"), path + " " + p + "fixed");
  }
  agent.rng().set_state(ck.get("agent/rng"));
  return c;
}

void save_rank_state(const std::string& path, learn::Agent& agent, int rank, int epoch) {
  io::Checkpoint ck;
  const auto levels = agent.levels();
  ck.set("format", nlohmann::json{{"format", "hindsight-rank-state"},
                                  {"version", kCheckpointVersion},
                                  {"rank", rank},
                                  {"epoch", epoch},
                                  {"levels", levels.size()}}
                       .dump());
  ck.set("agent/rng", agent.rng().state());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    ck.set("level/" + std::to_string(i) + "/replay", levels[i]->buffer().save());
  }
  ck.write(path);
}

void load_rank_state(const std::string& path, learn::Agent& agent, int rank, int epoch) {
  check(io::file_exists(path), path + " is missing: it holds rank " + std::to_string(rank) +
                                   "'s replay buffers and random stream for epoch " + std::to_string(epoch) +
                                   " (a resume across nodes needs the run directory on a shared filesystem)");
  const io::Checkpoint ck = io::Checkpoint::read(path);
  const nlohmann::json fmt = format_section(ck, path);
  const auto levels = agent.levels();
  check(fmt.value("format", "") == "hindsight-rank-state" && fmt.value("version", 0) == kCheckpointVersion,
        path + ": not a hindsight rank state of version " + std::to_string(kCheckpointVersion));
  check(fmt.value("rank", -1) == rank && fmt.value("epoch", -1) == epoch &&
            fmt.value("levels", 0u) == levels.size(),
        path + ": written for another rank, epoch or level count than rank " + std::to_string(rank) +
            ", epoch " + std::to_string(epoch));
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string name = "level/" + std::to_string(i) + "/replay";
    levels[i]->buffer().load(ck.get(name), path + " " + name);
  }
  agent.rng().set_state(ck.get("agent/rng"));
}

void check_restartable(const io::RunPaths& paths) {
  const std::size_t rows = io::file_exists(paths.progress) ? io::read_csv(paths.progress).rows.size() : 0;
  check(rows == 0, "--resume " + paths.root + ": progress.csv has " + std::to_string(rows) +
                       " epoch row(s) but no checkpoint is left (" + paths.latest_checkpoint + ", " +
                       paths.previous_checkpoint + " are missing)");
  std::fprintf(stderr, "hindsight: note: %s has no checkpoint yet; starting it from the beginning\n",
               paths.root.c_str());
}

void tidy_resumed_run(const io::RunPaths& paths, const std::string& used, const std::string& skipped) {
  if (used == paths.previous_checkpoint && io::file_exists(paths.latest_checkpoint)) {
    std::error_code ec;
    std::filesystem::rename(paths.latest_checkpoint, paths.latest_checkpoint + ".unusable", ec);
    check(!ec, "cannot move " + paths.latest_checkpoint + " aside: " + ec.message());
  }
  io::remove_stale_temp_files(paths.root);
  io::remove_stale_temp_files(paths.checkpoints);
  if (!skipped.empty()) {
    std::fprintf(stderr, "hindsight: warning: resuming from %s (%s)\n", used.c_str(), skipped.c_str());
  }
}

}  // namespace hindsight::train
