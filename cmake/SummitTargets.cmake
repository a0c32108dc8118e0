# Small helpers so every CMakeLists.txt declares tests the same way.

# summit_test_code(TARGET): TARGET is test code (a test, or what tests share), compiled at -O1.
# The code under test keeps the build's optimisation; the tests' own files, dense with
# GoogleTest and GoogleMock templates, compile in about two thirds of the time at -O1 (measured on
# registry_test.cc), and they are a third of a build.
function(summit_test_code target)
  if(CMAKE_BUILD_TYPE MATCHES "Rel")
    target_compile_options(${target} PRIVATE -O1)
  endif()
endfunction()

# summit_test(NAME SOURCES... [LIBS ...] [LABELS ...] [POSTGRES | POSTGRES_ONLY])
# A GoogleTest binary registered with CTest. Tests that start real processes
# carry the label "integration"; the rest are unit tests. POSTGRES registers
# the binary a second time, as NAME_postgres, running its services on a real
# PostgreSQL server that the `postgres` fixture starts and stops (see
# tests/support/test_database.h): one suite, both backends. POSTGRES_ONLY
# registers only that one (a test of the PostgreSQL backend itself). A suite's
# second run on PostgreSQL also carries the label "second-backend", so a pass
# that tests the C++ rather than the database (the sanitizer pass) can skip it.
function(summit_test name)
  cmake_parse_arguments(ARG "POSTGRES;POSTGRES_ONLY" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  summit_test_code(${name})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock GTest::gtest_main)
  if(NOT ARG_POSTGRES_ONLY)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES
      LABELS "${ARG_LABELS}"
      ENVIRONMENT "SUMMIT_BINARY_DIR=${CMAKE_BINARY_DIR}"
      TIMEOUT 600)
  endif()
  if(ARG_POSTGRES OR ARG_POSTGRES_ONLY)
    set(labels ${ARG_LABELS} postgres)
    if(ARG_POSTGRES)
      list(APPEND labels second-backend)
    endif()
    add_test(NAME ${name}_postgres COMMAND ${name})
    set_tests_properties(${name}_postgres PROPERTIES
      LABELS "${labels}"
      ENVIRONMENT "SUMMIT_BINARY_DIR=${CMAKE_BINARY_DIR};SUMMIT_TEST_POSTGRES_URL_FILE=${SUMMIT_POSTGRES_TEST_DIR}/url"
      FIXTURES_REQUIRED postgres
      TIMEOUT 600)
  endif()
endfunction()

# The throwaway PostgreSQL server the NAME_postgres tests share: started
# before the first of them and stopped after the last, by CTest itself, so
# `ctest` alone runs every suite on both backends.
set(SUMMIT_POSTGRES_TEST_DIR ${CMAKE_BINARY_DIR}/postgres-test-server)
function(summit_postgres_fixture)
  add_test(NAME postgres_server_start
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/postgres-server.sh start ${SUMMIT_POSTGRES_TEST_DIR} fast)
  add_test(NAME postgres_server_stop
           COMMAND ${PROJECT_SOURCE_DIR}/scripts/postgres-server.sh stop ${SUMMIT_POSTGRES_TEST_DIR})
  set_tests_properties(postgres_server_start PROPERTIES FIXTURES_SETUP postgres LABELS postgres)
  set_tests_properties(postgres_server_stop PROPERTIES FIXTURES_CLEANUP postgres LABELS postgres)
endfunction()
