// The built web app, loaded into memory at start-up (a few hundred KB). Files are served
// from this map only, so no request path can reach outside the web folder. Precompressed
// .br and .gz siblings are served when the client accepts them; hashed names under
// /assets/ are cached for a year, index.html never.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/request.h"

namespace psea::http {

class StaticFiles {
 public:
  // Loads every file under `directory`. kNotFound when it has no index.html.
  static Result<StaticFiles> Load(const std::string& directory);
  StaticFiles() = default;

  // nullopt when `request` is not for a static file: an /api path, a path with a dot segment
  // or a hidden name ("/.git/HEAD", "/x/../y", "/.env"), a missing file (any path with a dot,
  // "/foo.php"). Other paths ("/users") are the app's routes and get index.html.
  std::optional<HttpResponse> Serve(const HttpRequest& request) const;
  std::size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string gzip;
    std::string brotli;
    std::string content_type;
  };
  std::map<std::string, File> files_;  // "/index.html", "/assets/app-1a2b.js"
};

const char* ContentTypeFor(const std::string& path);

}  // namespace psea::http
