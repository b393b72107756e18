# src/feed/module.cmake — build steps of the feed module: the HTML named character reference
# table (src/feed/data/html_entities.tsv, from the WHATWG list as shipped in Python's
# html.entities.html5) is compiled into the library as the array feed_html_entities_tsv.
set(FEED_ENTITIES_C "${CMAKE_BINARY_DIR}/generated/feed_html_entities.c")
add_custom_command(
  OUTPUT "${FEED_ENTITIES_C}"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_BINARY_DIR}/generated"
  COMMAND chapar-embed feed_html_entities_tsv "${CMAKE_SOURCE_DIR}/src/feed/data/html_entities.tsv" "${FEED_ENTITIES_C}"
  DEPENDS chapar-embed "${CMAKE_SOURCE_DIR}/src/feed/data/html_entities.tsv"
  COMMENT "Embedding the HTML entity table")
list(APPEND CHAPAR_SOURCES "${FEED_ENTITIES_C}")
