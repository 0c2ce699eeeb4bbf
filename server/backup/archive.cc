// libarchive rather than a tar writer of our own: the ustar/pax header rules (long names,
// sizes past 8 GiB, checksums) and the reader's checks for truncated or foreign input are
// exactly what a restore under stress must get right, and Debian ships and patches the
// library (libarchive-dev) that tar tools already trust.
#include "backup/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <set>

namespace psea::backup {

namespace fs = std::filesystem;

namespace {
struct ArchiveDeleter {
  void operator()(archive* handle) const {
    if (handle) archive_free(handle);
  }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

struct EntryDeleter {
  void operator()(archive_entry* entry) const { archive_entry_free(entry); }
};

std::string ArchiveError(archive* handle) {
  const char* message = archive_error_string(handle);
  return message ? message : "unknown archive error";
}

Status WriteMember(archive* out, const ArchiveMember& member) {
  std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), member.name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);
  archive_entry_set_mtime(entry.get(), ::time(nullptr), 0);
  int fd = -1;
  if (member.source_path.empty()) {
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(member.content.size()));
  } else {
    fd = ::open(member.source_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return Internal("cannot read " + member.source_path + ": " + std::strerror(errno));
    struct stat info {};
    ::fstat(fd, &info);
    archive_entry_set_size(entry.get(), info.st_size);
  }
  if (archive_write_header(out, entry.get()) != ARCHIVE_OK) {
    if (fd >= 0) ::close(fd);
    return Internal("cannot write " + member.name + " into the archive: " + ArchiveError(out));
  }
  if (fd < 0) {
    if (archive_write_data(out, member.content.data(), member.content.size()) < 0) {
      return Internal("cannot write " + member.name + ": " + ArchiveError(out));
    }
    return Status::Ok();
  }
  char buffer[64 * 1024];
  Status status = Status::Ok();
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      status = Internal("cannot read " + member.source_path + ": " + std::strerror(errno));
      break;
    }
    if (got == 0) break;
    if (archive_write_data(out, buffer, static_cast<std::size_t>(got)) < 0) {
      status = Internal("cannot write " + member.name + ": " + ArchiveError(out));
      break;
    }
  }
  ::close(fd);
  return status;
}
}  // namespace

Status WriteTarArchive(const std::string& path, const std::vector<ArchiveMember>& members) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Internal("cannot create " + path + ": " + std::strerror(errno));
  ArchivePtr out(archive_write_new());
  archive_write_set_format_pax_restricted(out.get());
  Status status = Status::Ok();
  if (archive_write_open_fd(out.get(), fd) != ARCHIVE_OK) {
    status = Internal("cannot start the archive: " + ArchiveError(out.get()));
  }
  for (const auto& member : members) {
    if (!status.ok()) break;
    status = WriteMember(out.get(), member);
  }
  if (archive_write_close(out.get()) != ARCHIVE_OK && status.ok()) {
    status = Internal("cannot finish the archive: " + ArchiveError(out.get()));
  }
  if (status.ok() && ::fsync(fd) != 0) {
    status = Internal("cannot flush " + path + ": " + std::strerror(errno));
  }
  ::close(fd);
  if (!status.ok()) ::unlink(path.c_str());
  return status;
}

Result<std::vector<std::string>> ExtractTarArchive(const std::string& path,
                                                   const std::string& destination,
                                                   bool (*is_safe_name)(std::string_view)) {
  ArchivePtr in(archive_read_new());
  archive_read_support_format_tar(in.get());
  if (archive_read_open_filename(in.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    return InvalidArgument("not a psea backup: " + ArchiveError(in.get()), "in");
  }
  std::vector<std::string> names;
  std::set<std::string> seen;
  for (;;) {
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(in.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) {
      return InvalidArgument((names.empty() ? "not a psea backup (not a tar archive): "
                                            : "the archive is damaged or truncated: ") +
                                 ArchiveError(in.get()),
                             "in");
    }
    const char* raw_name = archive_entry_pathname(entry);
    const std::string name = raw_name ? raw_name : "";
    if (archive_entry_filetype(entry) == AE_IFDIR) continue;
    if (archive_entry_filetype(entry) != AE_IFREG) {
      return InvalidArgument("not a psea backup: " + name + " is not a regular file", "in");
    }
    if (!is_safe_name(name)) {
      return InvalidArgument("not a psea backup: it holds an unexpected member \"" + name + "\"",
                             "in");
    }
    if (!seen.insert(name).second) {
      return InvalidArgument("not a psea backup: it holds " + name + " twice", "in");
    }
    const fs::path target = fs::path(destination) / name;
    std::error_code error;
    fs::create_directories(target.parent_path(), error);
    if (error) return Internal("cannot create " + target.parent_path().string());
    const int fd =
        ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return Internal("cannot create " + target.string() + ": " + std::strerror(errno));
    const int copied = archive_read_data_into_fd(in.get(), fd);
    const bool flushed = ::fsync(fd) == 0;
    ::close(fd);
    if (copied != ARCHIVE_OK) {
      return InvalidArgument(
          "the archive is damaged or truncated (in " + name + "): " + ArchiveError(in.get()), "in");
    }
    if (!flushed) return Internal("cannot flush " + target.string());
    names.push_back(name);
  }
  if (names.empty()) return InvalidArgument("not a psea backup: the archive is empty", "in");
  return names;
}

}  // namespace psea::backup
