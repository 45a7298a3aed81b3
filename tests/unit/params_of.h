// Test helper: a parameter set from jail(8)-style arguments, each of which must be accepted.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>

#include "params/params.h"

namespace ljail {

inline params::ParamSet params_of(std::initializer_list<const char*> args) {
  params::ParamSet set;
  for (const char* a : args) {
    Ok r = set.set_arg(a);
    EXPECT_TRUE(r.has_value()) << a << ": " << (r ? "" : r.error().message());
  }
  return set;
}

}  // namespace ljail
