// The texts of the public reporting page (/report), one catalog per language, read from
// data/i18n/report/<code>.json at server start. A catalog is one JSON object of key -> text
// plus "_meta": {"name": the language's own name, "needs_review": true while a native speaker
// has not checked it, "note": free text}. French is the reference: a key another catalog lacks
// takes the French text.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace psea::intake {

struct ReportCatalog {
  std::string code;  // the file's name without .json: "fr", "en", "sg"
  std::string name;  // in the language itself: "Français"
  bool needs_review = false;
  std::map<std::string, std::string, std::less<>> texts;
};

// The French catalog, the fallback of every other, is the code "fr".
inline constexpr std::string_view kReferenceLanguage = "fr";

// One catalog. `file_name` only names the file in errors. kInvalidArgument "FILE:LINE: why"
// when the text is not a JSON object, a text is not a string, or _meta lacks a name.
Result<ReportCatalog> ParseReportCatalog(std::string_view text, std::string_view code,
                                         std::string_view file_name);

struct ReportCatalogs {
  // French first, then the other `languages` in the order given.
  std::vector<ReportCatalog> catalogs;
  // Keys a catalog has that the page does not know, and keys it lacks (which took the French
  // text): for the start-up log, not errors.
  std::vector<std::string> warnings;
};

// Reads FOLDER/<code>.json for French and each of `languages`. Every catalog ends up with every
// key of `known_keys` (French text for the missing ones). kNotFound when a file is missing;
// kInvalidArgument naming the file (and line) when one is malformed or when French itself lacks
// a known key.
Result<ReportCatalogs> LoadReportCatalogs(const std::string& folder,
                                          const std::vector<std::string>& languages,
                                          const std::vector<std::string_view>& known_keys);

}  // namespace psea::intake
