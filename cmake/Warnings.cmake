# Warnings are errors for ljail's own code (not for third-party headers).
function(ljail_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Wunused -Woverloaded-virtual -Wformat=2
    -Wimplicit-fallthrough)
endfunction()

# ljail's library code runs in freshly cloned children: failures are values, never exceptions.
function(ljail_target target)
  ljail_warnings(${target})
  target_compile_options(${target} PRIVATE -fno-exceptions)
endfunction()
