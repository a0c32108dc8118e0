# Small helpers so every CMakeLists.txt declares tests the same way.

# summit_test(NAME SOURCES... [LIBS ...] [LABELS ...])
# A GoogleTest binary registered with CTest. Tests that start real processes
# carry the label "integration"; the rest are unit tests.
function(summit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    LABELS "${ARG_LABELS}"
    ENVIRONMENT "SUMMIT_BINARY_DIR=${CMAKE_BINARY_DIR}"
    TIMEOUT 600)
endfunction()
