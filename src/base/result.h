// Result<T>: tl::expected<T, Error> made [[nodiscard]]. Use and_then/transform/or_else and
// LJ_TRY; never tl's map/map_error spellings, so a move to std::expected stays one header.
#pragma once

#include <tl/expected.hpp>

#include "base/error.h"

namespace ljail {

template <class T = void>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using tl::expected<T, Error>::expected;
  Result(Error e) : tl::expected<T, Error>(tl::unexpect, std::move(e)) {}       // NOLINT
  Result(tl::expected<T, Error>&& e) : tl::expected<T, Error>(std::move(e)) {}  // NOLINT
};

using Ok = Result<void>;

inline tl::unexpected<Error> fail(Error e) {
  return tl::unexpected<Error>(std::move(e));
}

namespace detail {
template <class T>
T take_value(tl::expected<T, Error>&& r) {
  return std::move(*r);
}
inline void take_value(tl::expected<void, Error>&&) {}
}  // namespace detail

}  // namespace ljail

// Evaluates a Result; on failure returns its Error from the enclosing function, else yields
// the value.
#define LJ_TRY(expr)                                                              \
  __extension__({                                                                 \
    auto lj_try_result_ = (expr);                                                 \
    if (!lj_try_result_) return ::ljail::fail(std::move(lj_try_result_.error())); \
    ::ljail::detail::take_value(std::move(lj_try_result_));                       \
  })

// Like LJ_TRY, adding one context frame to the error.
#define LJ_TRY_CTX(expr, frame)                                \
  __extension__({                                              \
    auto lj_try_result_ = (expr);                              \
    if (!lj_try_result_) {                                     \
      lj_try_result_.error().add_context(frame);               \
      return ::ljail::fail(std::move(lj_try_result_.error())); \
    }                                                          \
    ::ljail::detail::take_value(std::move(lj_try_result_));    \
  })
