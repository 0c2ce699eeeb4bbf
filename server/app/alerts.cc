#include "app/alerts.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "core/log.h"
#include "modules/intake/email_message.h"

namespace psea::app {

namespace {

class Sendmail final : public MailSender {
 public:
  explicit Sendmail(std::string command) : command_(std::move(command)) {}
  bool Send(const std::string& message) override {
    FILE* pipe = ::popen(command_.c_str(), "w");
    if (!pipe) return false;
    const bool written = std::fwrite(message.data(), 1, message.size(), pipe) == message.size();
    return ::pclose(pipe) == 0 && written;
  }

 private:
  std::string command_;
};

}  // namespace

std::unique_ptr<MailSender> SendmailSender(std::string command) {
  return std::make_unique<Sendmail>(std::move(command));
}

// Shared by the queue and its worker, so that a worker detached at Stop (a mail system that
// hangs) never touches freed memory.
struct MailQueue::State {
  std::unique_ptr<MailSender> sender;
  std::size_t capacity = 0;
  std::chrono::milliseconds tick_every{60000};

  std::mutex mutex;
  std::condition_variable wake;                           // the worker: a message, a tick or stop
  std::condition_variable finished;                       // Stop: the worker is done
  std::deque<std::pair<std::string, std::string>> queue;  // label, message
  std::function<void()> tick;
  bool stopping = false;
  bool abandoned = false;  // Stop's limit passed: drop the rest
  bool done = false;
  std::uint64_t sent = 0, failed = 0, dropped = 0;

  void Run() {
    std::unique_lock<std::mutex> lock(mutex);
    auto next_tick = std::chrono::steady_clock::now();
    while (true) {
      if (!stopping && tick && std::chrono::steady_clock::now() >= next_tick) {
        auto run = tick;
        lock.unlock();
        run();  // may Enqueue: the lock is not held
        lock.lock();
        next_tick = std::chrono::steady_clock::now() + tick_every;
      }
      if (!queue.empty() && !abandoned) {
        auto [label, message] = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        const bool ok = sender->Send(message);
        lock.lock();
        if (ok) {
          ++sent;
          log::Info("mail_sent", {{"what", label}});
        } else {
          // The alert in the app stays; the mail server's failure is an operator's problem.
          ++failed;
          log::Warn("mail_failed", {{"what", label}, {"failed_total", std::to_string(failed)}});
        }
        continue;
      }
      if (stopping && (queue.empty() || abandoned)) break;
      if (tick && !stopping) {
        wake.wait_until(lock, next_tick);
      } else {
        wake.wait(lock);
      }
    }
    done = true;
    finished.notify_all();
  }
};

MailQueue::MailQueue(std::unique_ptr<MailSender> sender, std::size_t capacity,
                     std::chrono::milliseconds tick_every)
    : state_(std::make_shared<State>()) {
  state_->sender = std::move(sender);
  state_->capacity = capacity;
  state_->tick_every = tick_every;
  std::thread([state = state_] { state->Run(); }).detach();
}

MailQueue::~MailQueue() { Stop(kDefaultDrainLimit); }

bool MailQueue::Enqueue(std::string label, std::string message) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  if (state_->stopping || state_->queue.size() >= state_->capacity) {
    ++state_->dropped;
    log::Warn("mail_dropped", {{"what", label},
                               {"reason", state_->stopping ? "stopping" : "queue full"},
                               {"dropped_total", std::to_string(state_->dropped)}});
    return false;
  }
  state_->queue.emplace_back(std::move(label), std::move(message));
  state_->wake.notify_one();
  return true;
}

void MailQueue::SetTick(std::function<void()> tick) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->tick = std::move(tick);
  state_->wake.notify_one();
}

void MailQueue::Stop(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lock(state_->mutex);
  if (state_->stopping && (state_->done || state_->abandoned)) return;
  state_->stopping = true;
  state_->wake.notify_one();
  if (state_->finished.wait_for(lock, limit, [&] { return state_->done; })) return;
  // The worker is stuck in the mail system: what is still queued will not go out.
  state_->abandoned = true;
  const std::size_t left = state_->queue.size();
  state_->dropped += left;
  state_->queue.clear();
  log::Warn("mail_abandoned_at_stop", {{"dropped", std::to_string(left)},
                                       {"dropped_total", std::to_string(state_->dropped)}});
}

std::uint64_t MailQueue::sent() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->sent;
}
std::uint64_t MailQueue::failed() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->failed;
}
std::uint64_t MailQueue::dropped() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->dropped;
}

std::string UrgentAlertText(const intake::Complaint& complaint) {
  std::string risks;
  auto add = [&](bool flag, const char* what) {
    if (flag) risks += std::string(risks.empty() ? "" : ", ") + what;
  };
  add(complaint.risk_child, "a child / un enfant");
  add(complaint.risk_danger, "someone in danger now / danger immediat");
  add(complaint.risk_medical, "medical care within 72 hours / soins sous 72 heures");
  return "An urgent complaint was received. Open the intake queue in psea.\n"
         "Une plainte urgente a ete recue. Ouvrez la file des plaintes dans psea.\n\n"
         "Reference: " +
         complaint.reference + "\n" + "Received / recue: " + FormatIso8601(complaint.received_at) +
         "\n" + "Channel / canal: " + std::string(intake::ChannelName(complaint.channel)) + "\n" +
         "Why urgent / urgence: " + risks + "\n";
}

std::function<void(const intake::Complaint&)> UrgentAlerts(MailQueue& queue, std::string from,
                                                           std::vector<std::string> to) {
  return [&queue, from = std::move(from), to = std::move(to)](const intake::Complaint& complaint) {
    queue.Enqueue("urgent alert " + complaint.reference,
                  intake::ComposeEmail(from, to, "psea: urgent complaint " + complaint.reference,
                                       UrgentAlertText(complaint)));
  };
}

std::string ReaderChangeText(const security::ReaderChange& change) {
  std::string what;
  switch (change.kind) {
    case security::ReaderChangeKind::kAdded:
      what = change.username + " was added to the " + change.scope + " readers by " +
             change.by_name + ".\n" + change.username + " a ete ajoute(e) aux lecteurs (" +
             change.scope + ") par " + change.by_name + ".\n";
      break;
    case security::ReaderChangeKind::kRemoved:
      what = change.username + " was removed from the " + change.scope + " readers by " +
             change.by_name + ".\n" + change.username + " a ete retire(e) des lecteurs (" +
             change.scope + ") par " + change.by_name + ".\n";
      break;
    case security::ReaderChangeKind::kAccessEnded:
      what = change.username + " is no longer a " + change.scope + " reader (" + change.reason +
             ").\n" + change.username + " n'est plus lecteur (" + change.scope + ", " +
             change.reason + ").\n";
      break;
  }
  return "The readers of sealed records changed. If you did not expect this, tell the CDT "
         "chief at once.\nLes lecteurs des donnees scellees ont change. Si vous ne vous y "
         "attendiez pas, prevenez le chef de la CDT.\n\n" +
         what + "When / quand: " + FormatIso8601(change.at) + "\n";
}

std::function<void(const security::ReaderChange&)> ReaderChangeAlerts(MailQueue& queue,
                                                                      std::string from,
                                                                      std::vector<std::string> to) {
  return
      [&queue, from = std::move(from), to = std::move(to)](const security::ReaderChange& change) {
        queue.Enqueue("reader change", intake::ComposeEmail(from, to, "psea: the readers changed",
                                                            ReaderChangeText(change)));
      };
}

AnchorMailer::AnchorMailer(ReadHead read_head, const Clock& clock, MailQueue& queue,
                           std::string from, std::vector<std::string> to)
    : read_head_(std::move(read_head)),
      clock_(clock),
      queue_(queue),
      from_(std::move(from)),
      to_(std::move(to)) {}

std::string AnchorMailer::Text(const security::AuditAnchor& head, UnixMillis at) {
  const std::string anchor = std::to_string(head.id) + ":" + head.hash;
  return "The audit log's head at " + FormatIso8601(at) +
         ". Keep this message away from the server: with it, anyone can check that the audit "
         "log was not rewritten or cut since.\n"
         "La tete du journal d'audit a " +
         FormatIso8601(at) +
         ". Gardez ce message hors du serveur : il permet de verifier que le journal n'a ete ni "
         "reecrit ni coupe depuis.\n\n"
         "Anchor / ancre: " +
         anchor +
         "\n\n"
         "psea audit verify --anchor " +
         anchor + "\n";
}

void AnchorMailer::Poll() {
  const UnixMillis now = clock_.Now();
  if (last_queued_ && now - *last_queued_ < kEveryMillis) return;
  auto head = read_head_();
  if (!head.ok()) {
    log::Warn("audit_anchor_unreadable", {{"detail", head.status().message()}});
    return;
  }
  const std::string subject = "psea: audit anchor " + std::to_string(head->id);
  if (queue_.Enqueue("audit anchor", intake::ComposeEmail(from_, to_, subject, Text(*head, now)))) {
    last_queued_ = now;
  }
}

std::vector<std::string> SplitAddresses(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char ch : text + ",") {
    if (ch == ',') {
      while (!current.empty() && current.back() == ' ') current.pop_back();
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else if (ch != ' ' || !current.empty()) {
      current += ch;
    }
  }
  return out;
}

}  // namespace psea::app
