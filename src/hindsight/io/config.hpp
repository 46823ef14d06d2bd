#pragma once
// The typed training config. Every key lives in ONE table below (name, type, default, range rule, doc);
// the struct members, YAML parsing, range checks, `train --help`, the resolved config.yaml and the
// key=value override parser are all generated from it, so adding a key is one line.
//
// Resolution order for `hindsight train`: default_config() -> preset (configs/<env>.yaml) or --config
// FILE -> key=value overrides -> validate().
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hindsight {

// How HER picks replacement goals when sampling: a later achieved goal of the same episode, the
// episode's final achieved goal, or no relabelling (plain DDPG).
enum class HerStrategy { future, final, none };
// How the input normalizers start: statistics from random-policy warm-up episodes, or loaded from
// norm_file (both keep learning online unless norm_freeze), or off: no normalization at all (identity).
enum class NormInit { warmup, file, off };
// What a NaN or infinite loss or gradient does: stop the run (the last good checkpoint stays) or skip
// that update (parameters and optimizer state unchanged).
enum class NanPolicy { stop, skip };

// The config table: X(name, C++ type, default, range rule, doc). A range rule is checked whenever the
// key is parsed and again by validate(); the rule names are defined in config.cpp, where the table is
// expanded into the schema. Rules that involve several keys live in validate().
#define HINDSIGHT_TRAIN_CONFIG_FIELDS(X)                                                                \
  X(env, std::string, "FetchPickAndPlace", not_empty(),                                                 \
    "environment registry name (see `hindsight env --list`) or a task file PATH.yaml (docs/tasks.md)")   \
  X(max_episode_steps, std::optional<int>, std::nullopt, auto_or(at_least(1)),                          \
    "control steps per episode (Gymnasium's max_episode_steps); auto = the env's own time limit")       \
  X(seed, std::uint64_t, 0, anything(),                                                                 \
    "base seed; every worker and MPI rank derives its own from it")                                     \
  X(levels, int, 1, at_least(1),                                                                        \
    "hierarchy levels: 1 = flat DDPG+HER, k > 1 = HAC with k levels")                                   \
  X(epochs, int, 50, at_least(1),                                                                       \
    "training epochs; each ends with a test, a progress.csv row and a checkpoint")                      \
  X(cycles, int, 50, at_least(1),                                                                       \
    "cycles per epoch")                                                                                 \
  X(episodes_per_cycle, int, 2, at_least(1),                                                            \
    "episodes collected per cycle by each worker")                                                      \
  X(updates_per_cycle, int, 40, at_least(0),                                                            \
    "gradient updates per level per cycle")                                                             \
  X(batch_size, int, 256, at_least(1),                                                                  \
    "transitions per gradient update")                                                                  \
  X(test_episodes, int, 10, at_least(0),                                                                \
    "deterministic test episodes per epoch, per rank (workers > 0: for the whole run)")                 \
  X(workers, int, 0, at_least(0),                                                                       \
    "run-wide data of this many baselines workers, shared among the ranks: per cycle workers x "        \
    "episodes_per_cycle episodes, per update workers x batch_size rows, workers x buffer_size "         \
    "replay; 0 = one worker per rank")                                                                  \
  X(ranks, std::optional<int>, 1, auto_or(at_least(1)),                                                 \
    "processes `hindsight train` starts itself with mpirun; auto = one per core; under mpirun: its count")\
  X(buffer_size, std::int64_t, 1000000, at_least(1),                                                    \
    "replay capacity per level, in transitions")                                                        \
  X(hidden, std::vector<int>, (std::vector<int>{256, 256, 256}), non_empty_list_at_least(1),            \
    "hidden layer widths of actor and critic (ReLU), e.g. [256, 256, 256]")                             \
  X(actor_lr, double, 1e-3, above(0),                                                                   \
    "actor Adam learning rate")                                                                         \
  X(critic_lr, double, 1e-3, above(0),                                                                  \
    "critic Adam learning rate")                                                                        \
  X(gamma, std::optional<double>, std::nullopt, auto_or(within(0, 1)),                                 \
    "discount; auto = 1 - 1/T for episode length T (as baselines; HAC: 1 - 1/H per level)")            \
  X(polyak, double, 0.95, within(0, 1),                                                                 \
    "target averaging: target = polyak * target + (1 - polyak) * online")                               \
  X(target_networks, bool, true, anything(),                                                            \
    "use Polyak-averaged target networks (HAC's code uses none)")                                       \
  X(action_l2, double, 1.0, at_least(0),                                                                \
    "L2 penalty on the actor's actions (scaled to [-1, 1])")                                            \
  X(noise_eps, double, 0.2, within(0, 1),                                                               \
    "std of Gaussian exploration noise, as a fraction of each action dimension's half range")           \
  X(noise_std, std::optional<std::vector<double>>, std::nullopt, auto_or(list_at_least(0.0)),           \
    "std of the exploration noise per action dimension, in action units (HAC's subgoal noise: "         \
    "level1.noise_std=[...]); auto = noise_eps of each half range")                                     \
  X(random_eps, double, 0.3, within(0, 1),                                                              \
    "probability of a uniformly random exploratory action")                                             \
  X(her_strategy, HerStrategy, HerStrategy::future, anything(),                                         \
    "HER goal relabelling: future, final or none")                                                      \
  X(replay_k, int, 4, at_least(0),                                                                      \
    "HER: relabelled goals per real one (relabel probability k / (k + 1))")                             \
  X(clip_obs, double, 200, above(0),                                                                    \
    "observations and goals are clipped to +-clip_obs before normalizing")                              \
  X(norm_init, NormInit, NormInit::warmup, anything(),                                                  \
    "normalizer: warmup (random episodes, then online), file (norm_file, then online), off (identity)")\
  X(norm_warmup_episodes, int, 1000, at_least(0),                                                       \
    "norm_init=warmup: random-policy episodes first; 0 = learn online only, as baselines")          \
  X(norm_file, std::string, "", anything(),                                                             \
    "norm_init=file: normalizer statistics file to start from")                                         \
  X(norm_eps, double, 0.01, above(0),                                                                   \
    "normalizer: lower bound on the standard deviation")                                                \
  X(norm_clip, double, 5, above(0),                                                                     \
    "normalized inputs are clipped to +-norm_clip")                                                     \
  X(norm_freeze, bool, false, anything(),                                                               \
    "keep the normalizer statistics fixed after initialization")                                        \
  X(torch_threads, int, 1, at_least(1),                                                                 \
    "LibTorch intra-op threads per process")                                                            \
  X(out, std::string, "runs", not_empty(),                                                              \
    "directory under which run directories are created")                                                \
  X(run_name, std::optional<std::string>, std::nullopt, auto_or(not_empty()),                           \
    "run directory name; auto = <env>-s<seed>-<YYYYmmdd-HHMMSS>")                                       \
  X(plot_every, int, 0, at_least(0),                                                                    \
    "write plots every N epochs; 0 = never during training")                                            \
  X(H, std::optional<std::vector<int>>, std::nullopt, auto_or(list_at_least(1))  ,              \
    "HAC: H[i] = attempts level i gets per subgoal of level i+1; one value = all; auto = env default")  \
  X(subgoal_test_prob, double, 0.3, within(0, 1),                                                       \
    "HAC: probability (lambda) that a level tests its proposed subgoal")                                \
  X(bounded_critic, bool, true, anything(),                                                             \
    "HAC: critic output bounded to [-H, 0] by a negative sigmoid")                                      \
  X(train_to_limit, bool, false, anything(),                                                            \
    "HAC: training episodes run to the time limit as test ones (top's goal not terminal); false = end at the goal")\
  X(hold_subgoals, bool, false, anything(),                                                             \
    "HAC: the levels below the top keep each subgoal for all H attempts, rewarded at every step within "  \
    "it, as HIRO's fixed-duration subgoals; false = hand back once it is reached, as HAC")              \
  X(drop_trivial_hindsight, bool, false, anything(),                                                    \
    "HAC: drop hindsight transitions whose goal is already achieved where they start")                  \
  X(subgoal, std::string, "default", not_empty(),                                                       \
    "HAC: the subgoal space: default (the env's) or observation indices, e.g. Fetch 0,1,2 gripper, "     \
    "3,4,5 block, 0,1,2,9 gripper and a finger's opening (PickAndPlace)")                                \
  X(subgoal_low, std::optional<std::vector<double>>, std::nullopt, anything(),                          \
    "HAC: lowest subgoal the upper levels propose, one value per subgoal dimension; auto = the env's")  \
  X(subgoal_high, std::optional<std::vector<double>>, std::nullopt, anything(),                         \
    "HAC: highest subgoal the upper levels propose, one value per subgoal dimension; auto = the env's") \
  X(subgoal_threshold, std::optional<std::vector<double>>, std::nullopt, auto_or(non_empty_list_above(0)),\
    "HAC: a subgoal is reached within this distance in every dimension; one value = all; auto = the env's")\
  X(subgoal_offset, std::optional<std::vector<double>>, std::nullopt, auto_or(non_empty_list_above(0)),   \
    "HAC: relative subgoals (HIRO's): the upper levels propose an offset of at most this per subgoal "    \
    "dimension from where the level below is, clipped to subgoal_low/high; one value = all; "             \
    "auto = absolute subgoals (HAC's)")                                                                   \
  X(best_episodes, int, 100, at_least(0),                                                               \
    "best.ckpt: an epoch with test success within 0.2 of the best is re-measured on this many; 0 = never")\
  X(demos, int, 0, at_least(0),                                                                         \
    "expert episodes (the task's scripted expert) recorded first into every level's demonstration buffer")\
  X(demo_batch_size, int, 128, at_least(1),                                                             \
    "demos > 0: rows of every batch drawn from the demonstrations (baselines 128)")                     \
  X(bc_weight, double, 7.8, at_least(0),                                                                \
    "demos > 0: behaviour-cloning weight, sum over demo rows vs mean Q (baselines 0.0078 / 0.001)")     \
  X(q_filter, bool, true, anything(),                                                                   \
    "demos > 0: clone a demonstrated action only where the critic rates it above the actor's")          \
  X(nan_policy, NanPolicy, NanPolicy::stop, anything(),                                                 \
    "NaN/Inf loss or gradient: stop (keep the last checkpoint) or skip the update; bad inputs always stop")

// Everything a training run needs to know; written to the run directory as config.yaml.
struct TrainConfig {
#define HINDSIGHT_CONFIG_MEMBER(name, type, def, rule, doc) type name = def;
  HINDSIGHT_TRAIN_CONFIG_FIELDS(HINDSIGHT_CONFIG_MEMBER)
#undef HINDSIGHT_CONFIG_MEMBER
  // Values of learner keys for one level ("level1.actor_lr" -> "0.01", the value as YAML text), each
  // checked when set; a key without the prefix is every level's value. See level_keys().
  std::map<std::string, std::string> level_values;

  bool operator==(const TrainConfig&) const = default;
};

// The name used in YAML and overrides ("future", "final", "none").
std::string to_string(HerStrategy s);
// The name used in YAML and overrides ("warmup", "file", "off").
std::string to_string(NormInit n);
// The name used in YAML and overrides ("stop", "skip").
std::string to_string(NanPolicy p);

// What one rank collects and samples when the run has `ranks` ranks: the run-wide amounts of `workers`
// baselines workers divided among the ranks, or (workers = 0) one baselines worker's amounts per rank.
struct RankShare {
  int episodes_per_cycle = 0;  // episodes this rank collects per cycle
  int batch_size = 0;          // rows of this rank's part of every update (gradients are averaged)
  int demo_batch_size = 0;     // demonstration rows among them
  std::int64_t buffer_size = 0;  // this rank's replay capacity per level (baselines: 1e6 per worker)
};
// The share of one of `ranks` ranks; throws Error when workers > 0 is not a multiple of ranks.
RankShare rank_share(const TrainConfig& config, int ranks);
// Test episodes rank `rank` of `ranks` runs per epoch (the run's test_episodes split when workers > 0).
int rank_test_episodes(const TrainConfig& config, int rank, int ranks);

// The keys that may be given per level as level<N>.<key> (learning rates, networks, noise, Polyak, batch,
// replay, normalizer, critic bound, demonstrations).
const std::vector<std::string>& level_keys();
// The config of level `level` (0 = bottom): cfg with that level's level<N>.<key> values applied and no
// per-level values left.
TrainConfig for_level(const TrainConfig& cfg, int level);

// The built-in defaults (the DDPG+HER baselines values).
TrainConfig default_config();
// Defaults overlaid with a YAML mapping of key: value; per-key errors say "FILE:LINE: ...".
// Cross-key rules are left to validate(), so overrides applied afterwards may still fix them.
TrainConfig load_config_file(const std::string& path);
// Same for YAML text already read; path only names it in errors.
TrainConfig parse_config_yaml(const std::string& text, const std::string& path);
// The number of YAML documents in text, counted without yaml-cpp's LoadAll (which never returns on some
// malformed input); throws Error "PATH:LINE:COL: YAML syntax error" for that input.
std::size_t count_yaml_documents(const std::string& text, const std::string& path);
// Applies one "key=value" (lists as "[64,64]" or "64,64"); errors start with "override 'key=value': ".
void apply_override(TrainConfig& config, const std::string& key_eq_value);
// Applies overrides in order; the first bad one throws.
void apply_overrides(TrainConfig& config, const std::vector<std::string>& overrides);
// Checks every key's range and the cross-key rules; throws Error naming the key(s).
void validate(const TrainConfig& config);
// The resolved config as YAML, every key with its doc comment above it; load_config_file reads it
// back to an equal config (doubles are printed in shortest round-trip form).
std::string to_yaml(const TrainConfig& config);
// One line per key (name, type, default, doc) for `hindsight train --help`.
std::string config_help();

// Where presets live: $HINDSIGHT_CONFIGS if set (Error if it is not a directory), else the first existing
// of <exe dir>/../configs (installed or build dir at the repo root), <exe dir>/../../configs (a nested
// build dir such as build/tests), ./configs; "" when none exists.
std::string configs_dir();
// configs_dir/<env>.yaml when that file exists, else "".
std::string find_preset(const std::string& env, const std::string& configs_dir);

}  // namespace hindsight
