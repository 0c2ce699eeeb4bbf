# cmake -DINPUT=docs/openapi.json -DOUTPUT=openapi_document.cc [-DHEADER=app/app.h
#       -DNAMESPACE=psea::app -DFUNCTION=OpenApiDocument] -P EmbedFile.cmake
# Writes a C++ file whose FUNCTION() returns INPUT's bytes (a const std::string&).
if(NOT DEFINED HEADER)
  set(HEADER "app/app.h")
endif()
if(NOT DEFINED NAMESPACE)
  set(NAMESPACE "psea::app")
endif()
if(NOT DEFINED FUNCTION)
  set(FUNCTION "OpenApiDocument")
endif()
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n#include \"${HEADER}\"\n"
  "namespace ${NAMESPACE} {\nconst std::string& ${FUNCTION}() {\n"
  "  static const std::string document = R\"psea_embed(${content})psea_embed\";\n"
  "  return document;\n}\n}  // namespace ${NAMESPACE}\n")
