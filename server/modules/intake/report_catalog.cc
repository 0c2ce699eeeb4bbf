#include "modules/intake/report_catalog.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "core/utf8.h"

namespace psea::intake {

namespace json = boost::json;

namespace {

constexpr std::string_view kMetaKey = "_meta";

// The line of the first `"key"` in the text, for messages about a value rather than the syntax.
std::size_t LineOfKey(std::string_view text, std::string_view key) {
  std::string quoted(1, '"');
  quoted.append(key).push_back('"');
  const auto at = text.find(quoted);
  if (at == std::string_view::npos) return 1;
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
}

Status Malformed(std::string_view file_name, std::size_t line, std::string_view why) {
  return InvalidArgument(
      std::string(file_name) + ":" + std::to_string(line) + ": " + std::string(why), "catalog");
}

// Boost.JSON reports no position, so the text is fed one line at a time: the line whose
// write fails holds the error.
Result<json::value> ParseWithLine(std::string_view text, std::string_view file_name) {
  json::stream_parser parser;
  std::size_t line = 1;
  std::size_t start = 0;
  json::error_code error;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    parser.write(text.data() + start, end - start, error);
    if (error) return Malformed(file_name, line, "not valid JSON (" + error.message() + ")");
    start = end;
    ++line;
  }
  parser.finish(error);
  if (error) {
    return Malformed(file_name, line > 1 ? line - 1 : 1,
                     "not valid JSON (" + error.message() + "): is the file cut short?");
  }
  return parser.release();
}

}  // namespace

Result<ReportCatalog> ParseReportCatalog(std::string_view text, std::string_view code,
                                         std::string_view file_name) {
  if (!IsValidUtf8(text)) return Malformed(file_name, 1, "not valid UTF-8");
  ASSIGN_OR_RETURN(json::value document, ParseWithLine(text, file_name));
  if (!document.is_object()) {
    return Malformed(file_name, 1, "a catalog is one JSON object of key -> text");
  }
  ReportCatalog catalog;
  catalog.code = std::string(code);
  for (const auto& [key, value] : document.as_object()) {
    if (key == kMetaKey) {
      const auto* meta = value.if_object();
      const auto* name = meta ? meta->if_contains("name") : nullptr;
      if (!name || !name->is_string() || name->as_string().empty()) {
        return Malformed(file_name, LineOfKey(text, kMetaKey),
                         "_meta needs \"name\", the language's own name");
      }
      catalog.name = std::string(name->as_string());
      if (const auto* review = meta->if_contains("needs_review")) {
        if (!review->is_bool()) {
          return Malformed(file_name, LineOfKey(text, "needs_review"),
                           "_meta.needs_review must be true or false");
        }
        catalog.needs_review = review->as_bool();
      }
      continue;
    }
    if (!value.is_string()) {
      return Malformed(file_name, LineOfKey(text, key),
                       "the text of \"" + std::string(key) + "\" must be a string");
    }
    catalog.texts.emplace(std::string(key), std::string(value.as_string()));
  }
  if (catalog.name.empty()) {
    return Malformed(file_name, 1, "_meta with \"name\" (the language's own name) is missing");
  }
  return catalog;
}

Result<ReportCatalogs> LoadReportCatalogs(const std::string& folder,
                                          const std::vector<std::string>& languages,
                                          const std::vector<std::string_view>& known_keys) {
  std::vector<std::string> codes = {std::string(kReferenceLanguage)};
  for (const auto& language : languages) {
    if (std::find(codes.begin(), codes.end(), language) == codes.end()) codes.push_back(language);
  }
  ReportCatalogs loaded;
  for (const auto& code : codes) {
    const std::string file = (std::filesystem::path(folder) / (code + ".json")).string();
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return NotFound("no catalog " + file + " for the public page's language \"" + code + "\"");
    }
    std::stringstream text;
    text << in.rdbuf();
    ASSIGN_OR_RETURN(auto catalog, ParseReportCatalog(text.str(), code, file));
    loaded.catalogs.push_back(std::move(catalog));
  }

  const std::set<std::string_view> known(known_keys.begin(), known_keys.end());
  const ReportCatalog& french = loaded.catalogs.front();
  for (const auto key : known_keys) {
    if (!french.texts.contains(key)) {
      return InvalidArgument(
          folder + "/fr.json: the key \"" + std::string(key) +
              "\" is missing; French is the fallback of every other language and needs them all",
          "catalog");
    }
  }
  for (auto& catalog : loaded.catalogs) {
    for (const auto& [key, text] : catalog.texts) {
      if (!known.contains(key)) {
        loaded.warnings.push_back(catalog.code + ".json: unknown key \"" + key + "\" (ignored)");
      }
    }
    std::vector<std::string> missing;
    for (const auto key : known_keys) {
      if (catalog.texts.contains(key)) continue;
      missing.emplace_back(key);
      catalog.texts.emplace(std::string(key), french.texts.find(key)->second);
    }
    if (!missing.empty()) {
      std::string list;
      for (const auto& key : missing) {
        if (!list.empty()) list += ", ";
        list += key;
      }
      loaded.warnings.push_back(catalog.code + ".json: " + std::to_string(missing.size()) +
                                " key(s) missing, shown in French: " + list);
    }
  }
  return loaded;
}

}  // namespace psea::intake
