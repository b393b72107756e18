# src/rank build steps: the tracking-parameter list compiled in as a C array.
set(RANK_TRACKING_C "${CMAKE_BINARY_DIR}/generated/rank_tracking_params.c")
add_custom_command(OUTPUT "${RANK_TRACKING_C}"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/generated"
  COMMAND chapar-embed rank_tracking_params "${CMAKE_SOURCE_DIR}/src/rank/tracking_params.txt" "${RANK_TRACKING_C}"
  DEPENDS chapar-embed "${CMAKE_SOURCE_DIR}/src/rank/tracking_params.txt"
  COMMENT "Embedding src/rank/tracking_params.txt")
list(APPEND CHAPAR_SOURCES "${RANK_TRACKING_C}")
# xxhash headers are for src/rank only (STYLE.md: one library, one module).
