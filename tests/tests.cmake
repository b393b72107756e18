# Tests mirror the source tree: tests/unit/<module>/<name>.c tests src/<module>/<name>.c and is
# one cmocka executable and one ctest test named unit/<module>/<name>. tests/e2e/*.sh drive the
# real binary; each gets CHAPAR (the binary), SRC (the checkout), SHARED (../shared) and a
# private TMPDIR. Tests labelled "slow" are skipped under ASan.
if(NOT CMOCKA_FOUND)
  message(FATAL_ERROR "cmocka not found: run scripts/install-deps.sh")
endif()

file(GLOB_RECURSE UNIT_TESTS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/unit/*.c")
foreach(test_src IN LISTS UNIT_TESTS)
  file(RELATIVE_PATH rel "${CMAKE_SOURCE_DIR}/tests/unit" "${test_src}")
  string(REGEX REPLACE "\\.c$" "" rel "${rel}")
  string(REPLACE "/" "_" target "test_${rel}")
  add_executable(${target} "${test_src}")
  target_link_libraries(${target} PRIVATE libchapar PkgConfig::CMOCKA)
  target_compile_definitions(${target} PRIVATE
    TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data" CHAPAR_SRC_DIR="${CMAKE_SOURCE_DIR}")
  add_test(NAME "unit/${rel}" COMMAND ${target})
  set_tests_properties("unit/${rel}" PROPERTIES TIMEOUT 300)
endforeach()

file(GLOB E2E_TESTS CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/e2e/*.sh")
foreach(test_sh IN LISTS E2E_TESTS)
  get_filename_component(name "${test_sh}" NAME_WE)
  add_test(NAME "e2e/${name}" COMMAND sh "${test_sh}")
  set_tests_properties("e2e/${name}" PROPERTIES TIMEOUT 600
    ENVIRONMENT "CHAPAR=$<TARGET_FILE:chapar>;SRC=${CMAKE_SOURCE_DIR};SHARED=${CHAPAR_SHARED_DIR};BUILD=${CMAKE_BINARY_DIR}")
  if(name MATCHES "^slow_")
    set_tests_properties("e2e/${name}" PROPERTIES LABELS slow)
  endif()
endforeach()

add_test(NAME "lint/layering" COMMAND sh "${CMAKE_SOURCE_DIR}/scripts/check-layering.sh" "${CMAKE_SOURCE_DIR}")
