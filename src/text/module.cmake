# src/text/module.cmake — build steps of the text module: the lexicon (src/text/data/lexicon.tsv)
# is compiled into libchapar as a ready hash table by the host tool chapar-lexgen
# (src/text/gen/lexgen.c), and the calendar unit test is linked against ICU (its independent
# reference; ICU is linked into that test only).
set(TEXT_DATA_DIR "${CMAKE_SOURCE_DIR}/src/text/data")
set(TEXT_GEN_DIR "${CMAKE_BINARY_DIR}/generated")
file(MAKE_DIRECTORY "${TEXT_GEN_DIR}")
add_executable(chapar-lexgen "${CMAKE_SOURCE_DIR}/src/text/gen/lexgen.c")
target_include_directories(chapar-lexgen PRIVATE "${CMAKE_SOURCE_DIR}/src")
add_custom_command(
  OUTPUT "${TEXT_GEN_DIR}/text_lexicon_table.c"
  COMMAND chapar-lexgen "${TEXT_DATA_DIR}/lexicon.tsv" "${TEXT_GEN_DIR}/text_lexicon_table.c"
  DEPENDS chapar-lexgen "${TEXT_DATA_DIR}/lexicon.tsv"
  COMMENT "Building the text lexicon's hash table")
list(APPEND CHAPAR_SOURCES "${TEXT_GEN_DIR}/text_lexicon_table.c")

pkg_check_modules(TEXT_ICU IMPORTED_TARGET icu-i18n icu-uc)

# text_link_icu: runs after tests/tests.cmake has created the test targets.
function(text_link_icu)
  if(TARGET test_text_calendar AND TEXT_ICU_FOUND)
    target_link_libraries(test_text_calendar PRIVATE PkgConfig::TEXT_ICU)
    target_compile_definitions(test_text_calendar PRIVATE HAVE_ICU=1)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL text_link_icu)
