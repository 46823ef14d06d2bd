#include "hindsight/env/fetch/fetch_scene.hpp"

#include <sstream>

namespace hindsight::fetch {
namespace {

// One published finger (robot.xml): side +1 on +y, -1 on -y. The body sits 0.0159 from the centre line
// and the box 0.008 back toward it, so closed fingers leave a 1.8 mm gap; the box is 0.0385 long along
// the approach axis (here z), centred 0.02 above the grip site; mass 4 and inertia 0.1 as published.
std::string finger(const char* name, int side) {
  std::ostringstream x;
  x << "      <body name=\"" << name << "\" childclass=\"finger\" pos=\"0 " << side * 0.0159 << " 0.02\">\n"
    << "        <inertial pos=\"0 0 0.01\" mass=\"4\" diaginertia=\"0.1 0.1 0.1\"/>\n"
    << "        <joint name=\"" << name << "\" axis=\"0 " << side << " 0\"/>\n"
    << "        <geom name=\"" << name << "\" pos=\"0 " << -side * 0.008 << " 0\" size=\"0.0135 0.007 0.0385\"/>\n"
    << "      </body>\n";
  return x.str();
}

}  // namespace

std::string fetch_scene_xml(bool with_block) {
  std::ostringstream x;
  x << R"(<mujoco model="hindsight_fetch">
  <compiler angle="radian" coordinate="local" inertiafromgeom="true"/>
  <option timestep="0.002" gravity="0 0 -9.81" cone="pyramidal" impratio="1"/>
  <size nconmax="200" njmax="500"/>
  <visual>
    <headlight ambient="0.35 0.35 0.35" diffuse="0.6 0.6 0.6" specular="0.1 0.1 0.1"/>
    <map znear="0.01"/>
    <quality shadowsize="2048"/>
  </visual>
  <asset>
    <texture name="floor_tex" type="2d" builtin="checker" rgb1="0.25 0.28 0.32" rgb2="0.2 0.22 0.25" width="256" height="256"/>
    <material name="floor_mat" texture="floor_tex" texrepeat="8 8" reflectance="0.05"/>
    <material name="table_mat" rgba="0.62 0.55 0.45 1"/>
    <material name="gripper_mat" rgba="0.35 0.37 0.42 1"/>
    <material name="finger_mat" rgba="0.15 0.15 0.17 1"/>
    <material name="block_mat" rgba="0.85 0.6 0.15 1"/>
  </asset>
  <default>
    <geom condim="3" friction="1 0.005 0.0001" solref="0.02 1" solimp="0.9 0.95 0.001" margin="0"/>
    <!-- The published classes robot0:fetch (every robot geom) and robot0:fetchGripper (the fingers). -->
    <default class="gripper">
      <geom margin="0.001" solref="0.01 1" solimp="0.99 0.99 0.01"/>
      <joint type="slide" damping=")" << kGripDamping << R"(" armature=")" << kGripArmature << R"("/>
      <default class="finger">
        <geom type="box" condim="4" friction="1 0.05 0.01" material="finger_mat"/>
        <joint type="slide" range="0 0.05" limited="true" armature="100" damping="1000" solreflimit="0.01 1"
               solimplimit="0.99 0.999 0.01"/>
      </default>
    </default>
  </default>
  <worldbody>
    <light name="sun" pos="1.3 0.75 2.5" dir="0 0 -1" directional="true" castshadow="true" diffuse="0.5 0.5 0.5"/>
    <geom name="floor" type="plane" size="3 3 0.1" material="floor_mat"/>
    <!-- Looks down 50 degrees at the middle of the gripper's reach (fetch::Workspace), close enough that the reach
         fills about 85% of a 4:3 frame: the block and every goal and subgoal marker are large in it. -->
    <camera name="front" pos="2.136 0.75 1.596" xyaxes="0 1 0 -0.766 0 0.643" fovy="45"/>
    <body name="table" pos="1.3 0.75 0.2">
      <geom name="table_top" type="box" size="0.25 0.35 0.2" material="table_mat" mass="2000"/>
    </body>
    <body name="mocap" mocap="true" pos="1.342 0.749 0.535"/>
    <!-- The gripper stands for the Fetch arm's gripper_link: the arm behind it is three slide joints (its
         weight is carried by FetchEnv, as the arm's controller would). -->
    <body name="gripper" childclass="gripper" pos="1.342 0.749 0.535">
      <joint name="grip_x" axis="1 0 0"/>
      <joint name="grip_y" axis="0 1 0"/>
      <joint name="grip_z" axis="0 0 1"/>
      <site name="grip" pos="0 0 0" size="0.008" rgba="1 1 1 0"/>
      <geom name="palm" type="box" pos="0 0 0.075" size="0.03 0.065 0.015" material="gripper_mat" mass="1.0"/>
      <geom name="wrist" type="cylinder" pos="0 0 0.125" size="0.025 0.035" material="gripper_mat" mass="0.5"/>
)" << finger("finger_l", +1) << finger("finger_r", -1) << R"(    </body>
)";
  if (with_block) {
    x << R"(    <body name="object0" pos="1.25 0.53 0.425">
      <joint name="object0" type="free" damping="0.01"/>
      <geom name="object0" type="box" size="0.025 0.025 0.025" material="block_mat" mass="2"/>
      <site name="object0" pos="0 0 0" size="0.005" rgba="1 0 0 0"/>
    </body>
)";
  }
  x << R"(  </worldbody>
  <contact>
    <exclude body1="finger_l" body2="finger_r"/>
    <exclude body1="gripper" body2="finger_l"/>
    <exclude body1="gripper" body2="finger_r"/>
  </contact>
  <equality>
    <weld name="mocap_weld" body1="mocap" body2="gripper" solref="0.02 1" solimp="0.9 0.95 0.001"/>
  </equality>
  <actuator>
    <position name="finger_l" joint="finger_l" kp="30000" ctrllimited="true" ctrlrange="0 0.2"/>
    <position name="finger_r" joint="finger_r" kp="30000" ctrllimited="true" ctrlrange="0 0.2"/>
  </actuator>
</mujoco>
)";
  return x.str();
}

}  // namespace hindsight::fetch
