#include "modules/mail/sender.h"

#include <sys/wait.h>

#include <cstdio>
#include <utility>

namespace psea::mail {

namespace {

class Sendmail final : public MailSender {
 public:
  explicit Sendmail(std::string command) : command_(std::move(command)) {}
  Status Send(const std::string& message) override {
    FILE* pipe = ::popen(command_.c_str(), "w");
    if (!pipe) return Unavailable("the mail command could not be started");
    const bool written = std::fwrite(message.data(), 1, message.size(), pipe) == message.size();
    const int status = ::pclose(pipe);
    if (status == -1) return Unavailable("the mail command could not be waited for");
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
      return Unavailable("the mail command exited with status " +
                         std::to_string(WEXITSTATUS(status)));
    }
    if (!WIFEXITED(status)) return Unavailable("the mail command was killed");
    if (!written) return Unavailable("the mail command did not read the whole message");
    return Status::Ok();
  }

 private:
  std::string command_;
};

}  // namespace

std::unique_ptr<MailSender> SendmailSender(std::string command) {
  return std::make_unique<Sendmail>(std::move(command));
}

}  // namespace psea::mail
