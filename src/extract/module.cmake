# src/extract/module.cmake — compile the hint and phrase lists of src/extract/data into the
# library (chapar-embed turns each into a C array).
set(EXTRACT_DATA class-hints phrases)
foreach(name IN LISTS EXTRACT_DATA)
  string(REPLACE "-" "_" sym "extract_data_${name}")
  set(out "${CMAKE_BINARY_DIR}/generated/${sym}.c")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/generated"
    COMMAND chapar-embed ${sym} "${CMAKE_SOURCE_DIR}/src/extract/data/${name}.txt" "${out}"
    DEPENDS chapar-embed "${CMAKE_SOURCE_DIR}/src/extract/data/${name}.txt"
    COMMENT "Embedding extract data ${name}.txt")
  list(APPEND CHAPAR_SOURCES "${out}")
endforeach()
