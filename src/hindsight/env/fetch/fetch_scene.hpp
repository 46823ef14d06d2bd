#pragma once
// The MJCF scene of the Fetch-equivalent tasks: a table, a two-finger gripper driven through a mocap
// weld (position only, fixed orientation) and, optionally, a 0.05 m block with a free joint.
#include <string>

namespace hindsight::fetch {

// World-frame facts of the scene (Gymnasium-Robotics Fetch layout).
inline constexpr double kTableTopZ = 0.4;           // table surface height (m)
inline constexpr double kTableCenterX = 1.3;        // table centre x (m)
inline constexpr double kTableCenterY = 0.75;       // table centre y (m)
inline constexpr double kBlockHalf = 0.025;         // half the block's edge (m)
inline constexpr double kGripStartX = 1.342;        // gripper rest position after reset (m)
inline constexpr double kGripStartY = 0.749;
inline constexpr double kGripStartZ = 0.535;
inline constexpr double kFingerMax = 0.05;          // finger joint range [0, kFingerMax] (m)
inline constexpr double kFingerSubgoalThreshold = 0.01;  // a finger subgoal is reached within this (m)
inline constexpr double kGripStepMax = 0.04;        // |grip_velp| bound per axis (m per control step; ~0.034 at full action)
inline constexpr double kGripVelocitySubgoalThreshold = 0.01;  // a gripper-velocity subgoal is reached within this
inline constexpr double kFingertipBelowGrip = 0.0185;  // fingertips below the grip site (published gripper)
// The gripper's slide joints stand for the arm behind the published gripper: with these values a full
// action step moves it as far as the published arm moves (docs/fidelity.md).
inline constexpr double kGripDamping = 4.0;        // N s/m per axis
inline constexpr double kGripArmature = 0.2;       // kg per axis

// MJCF text of the scene; with_block adds the block "object0".
std::string fetch_scene_xml(bool with_block);

}  // namespace hindsight::fetch
