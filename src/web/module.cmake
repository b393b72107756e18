# src/web: the site's static assets (stylesheet, Vazirmatn fonts) compiled into the binary.
set(WEB_ASSETS
  "asset_style_css|${CMAKE_SOURCE_DIR}/assets/style.css"
  "asset_font_regular|${CMAKE_SOURCE_DIR}/assets/fonts/Vazirmatn-Regular.woff2"
  "asset_font_bold|${CMAKE_SOURCE_DIR}/assets/fonts/Vazirmatn-Bold.woff2")
foreach(entry IN LISTS WEB_ASSETS)
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 sym)
  list(GET parts 1 input)
  set(out "${CMAKE_BINARY_DIR}/generated/${sym}.c")
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/generated"
    COMMAND chapar-embed ${sym} "${input}" "${out}"
    DEPENDS chapar-embed "${input}" VERBATIM)
  list(APPEND CHAPAR_SOURCES "${out}")
endforeach()
