# cmake -DINPUT=docs/openapi.json -DOUTPUT=openapi_document.cc -P EmbedFile.cmake
# Writes a C++ file that returns INPUT's bytes from psea::app::OpenApiDocument().
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n#include \"app/app.h\"\n"
  "namespace psea::app {\nconst std::string& OpenApiDocument() {\n"
  "  static const std::string document = R\"psea_embed(${content})psea_embed\";\n"
  "  return document;\n}\n}  // namespace psea::app\n")
