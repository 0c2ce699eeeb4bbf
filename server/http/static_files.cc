#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace psea::http {

namespace fs = std::filesystem;

namespace {
std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

const char* ContentTypeFor(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (EndsWith(path, extension)) return type;
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Load(const std::string& directory) {
  std::error_code error;
  const fs::path root = fs::weakly_canonical(directory, error);
  if (error || !fs::exists(root / "index.html")) {
    return NotFound("no built web app (index.html) in " + directory);
  }
  StaticFiles files;
  // Without exceptions: a file removed while we walk (an `npm run build` replacing the app)
  // ends the walk with an error instead of terminating the server.
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const auto& entry = *it;
    std::error_code entry_error;
    if (!entry.is_regular_file(entry_error)) continue;
    std::string relative = "/";
    relative += fs::relative(entry.path(), root).generic_string();
    if (EndsWith(relative, ".gz") || EndsWith(relative, ".br")) continue;
    File file;
    file.content = ReadFile(entry.path());
    file.content_type = ContentTypeFor(relative);
    if (fs::exists(entry.path().string() + ".gz"))
      file.gzip = ReadFile(entry.path().string() + ".gz");
    if (fs::exists(entry.path().string() + ".br"))
      file.brotli = ReadFile(entry.path().string() + ".br");
    files.files_.emplace(relative, std::move(file));
  }
  if (error) return NotFound("cannot read the web app in " + directory + ": " + error.message());
  return files;
}

std::optional<HttpResponse> StaticFiles::Serve(const HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const std::string& path = request.path;
  if (path.rfind("/api/", 0) == 0 || path.find("/.") != std::string::npos) return std::nullopt;
  auto found = files_.find(path == "/" ? "/index.html" : path);
  if (found == files_.end()) {
    // A client-side route ("/users", "/audit") gets the app. A path that names a file -- any
    // segment with a dot: "/foo.php", "/wp-login.php/x", "/assets/gone-1a2b.js" -- is a 404,
    // so scanners and broken links see the truth, not the app with 200.
    if (path.find('.') != std::string::npos) return std::nullopt;
    found = files_.find("/index.html");
    if (found == files_.end()) return std::nullopt;
  }
  const File& file = found->second;
  HttpResponse response;
  response.SetHeader("Content-Type", file.content_type);
  const bool immutable = found->first.rfind("/assets/", 0) == 0;
  response.SetHeader("Cache-Control",
                     immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.SetHeader("Vary", "Accept-Encoding");
  const std::string accept = std::string(request.Header("accept-encoding").value_or(""));
  if (!file.brotli.empty() && accept.find("br") != std::string::npos) {
    response.SetHeader("Content-Encoding", "br");
    response.body = file.brotli;
  } else if (!file.gzip.empty() && accept.find("gzip") != std::string::npos) {
    response.SetHeader("Content-Encoding", "gzip");
    response.body = file.gzip;
  } else {
    response.body = file.content;
  }
  return response;
}

}  // namespace psea::http
