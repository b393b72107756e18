# src/text/module.cmake — build steps of the text module: the lexicon tables under
# src/text/data/ are compiled into libchapar with chapar-embed, and the calendar unit test is
# linked against ICU (its independent reference; ICU is linked into that test only).
set(TEXT_DATA_DIR "${CMAKE_SOURCE_DIR}/src/text/data")
set(TEXT_GEN_DIR "${CMAKE_BINARY_DIR}/generated")
file(MAKE_DIRECTORY "${TEXT_GEN_DIR}")
foreach(table IN ITEMS lexicon)
  add_custom_command(
    OUTPUT "${TEXT_GEN_DIR}/text_${table}_data.c"
    COMMAND chapar-embed text_${table}_data "${TEXT_DATA_DIR}/${table}.tsv"
            "${TEXT_GEN_DIR}/text_${table}_data.c"
    DEPENDS chapar-embed "${TEXT_DATA_DIR}/${table}.tsv"
    COMMENT "Embedding text lexicon ${table}")
  list(APPEND CHAPAR_SOURCES "${TEXT_GEN_DIR}/text_${table}_data.c")
endforeach()

pkg_check_modules(TEXT_ICU IMPORTED_TARGET icu-i18n icu-uc)

# text_link_icu: runs after tests/tests.cmake has created the test targets.
function(text_link_icu)
  if(TARGET test_text_calendar AND TEXT_ICU_FOUND)
    target_link_libraries(test_text_calendar PRIVATE PkgConfig::TEXT_ICU)
    target_compile_definitions(test_text_calendar PRIVATE HAVE_ICU=1)
  endif()
endfunction()
cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL text_link_icu)
