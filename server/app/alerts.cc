#include "app/alerts.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "core/log.h"
#include "modules/intake/email_message.h"

namespace psea::app {

// Shared by the queue and its worker, so that a worker detached at Stop (a mail system that
// hangs) never touches freed memory: it holds `mutex` whenever it uses the outbox, and ends
// without using it again once `abandoned` is set.
struct MailQueue::State {
  mail::MailOutbox* outbox = nullptr;
  std::unique_ptr<MailSender> sender;
  bool resume = false;
  std::size_t capacity = 0;
  std::chrono::milliseconds tick_every{60000};

  std::mutex mutex;
  std::condition_variable wake;                            // the worker: a message, a tick or stop
  std::condition_variable finished;                        // Stop: the worker is done
  std::deque<std::pair<std::string, std::string>> staged;  // label, message: not yet written
  std::function<void()> tick;
  bool look = false;      // look at the outbox now
  bool enqueued = false;  // this process queued something: Stop sends it
  bool stopping = false;
  bool abandoned = false;  // Stop's limit passed: touch nothing more
  bool done = false;
  std::uint64_t sent = 0, failed = 0, given_up = 0, dropped = 0;

  using Time = std::chrono::steady_clock::time_point;

  // Writes the staged messages to the outbox; under the lock.
  void WriteStaged() {
    while (!staged.empty()) {
      auto put = outbox->Put(staged.front().first, staged.front().second);
      if (!put.ok()) return;  // still unwritable: next round
      staged.pop_front();
      look = true;
    }
  }

  // When the worker looks at the outbox next, given nothing is due now; under the lock.
  Time NextLook(Time now) {
    if (!resume) return Time::max();
    auto due_in = outbox->DueIn();
    Time next = now + kIdlePoll;
    if (due_in.ok() && *due_in) next = std::min(next, now + std::chrono::milliseconds(**due_in));
    return next;
  }

  void Run() {
    std::unique_lock<std::mutex> lock(mutex);
    Time next_tick = std::chrono::steady_clock::now();
    Time next_look = resume ? next_tick : Time::max();
    Time next_purge = next_tick;
    while (!abandoned) {
      if (!stopping && tick && std::chrono::steady_clock::now() >= next_tick) {
        auto run = tick;
        lock.unlock();
        run();  // may Enqueue: the lock is not held
        lock.lock();
        next_tick = std::chrono::steady_clock::now() + tick_every;
        continue;
      }
      WriteStaged();
      const Time now = std::chrono::steady_clock::now();
      if (look || now >= next_look) {
        auto claimed = outbox->ClaimNext();
        if (!claimed.ok()) {
          log::Warn("mail_outbox", {{"detail", claimed.status().message()}});
          look = false;
          next_look = now + std::chrono::seconds(1);
          if (stopping) break;
        } else if (!*claimed) {
          look = false;
          if (stopping) break;  // nothing more is due: drained
          next_look = NextLook(now);
          if (resume && now >= next_purge) {
            next_purge = now + std::chrono::hours(1);
            auto purged = outbox->PurgeSent();
            if (!purged.ok()) log::Warn("mail_outbox", {{"detail", purged.status().message()}});
          }
        } else {
          lock.unlock();
          const Status attempt = sender->Send((*claimed)->message);
          lock.lock();
          if (abandoned) break;  // claimed: sent again when its lease ends
          auto outcome = outbox->Record(**claimed, attempt);
          if (!outcome.ok()) {
            log::Warn("mail_outbox", {{"detail", outcome.status().message()}});
          } else if (*outcome == mail::MailOutbox::Outcome::kSent) {
            ++sent;
          } else {
            ++failed;
            if (*outcome == mail::MailOutbox::Outcome::kGivenUp) ++given_up;
          }
          look = true;  // the next one, if any is due
          continue;
        }
      }
      if (stopping) break;
      Time until = next_look;
      if (tick) until = std::min(until, next_tick);
      if (!staged.empty()) until = std::min(until, now + std::chrono::seconds(1));
      if (until == Time::max()) {
        wake.wait(lock);
      } else {
        wake.wait_until(lock, until);
      }
    }
    done = true;
    finished.notify_all();
  }
};

MailQueue::MailQueue(mail::MailOutbox& outbox, std::unique_ptr<MailSender> sender,
                     std::size_t capacity, std::chrono::milliseconds tick_every)
    : state_(std::make_shared<State>()) {
  state_->outbox = &outbox;
  state_->sender = std::move(sender);
  state_->capacity = capacity;
  state_->tick_every = tick_every;
  std::thread([state = state_] { state->Run(); }).detach();
}

MailQueue::~MailQueue() { Stop(kDefaultDrainLimit); }

bool MailQueue::Enqueue(std::string label, std::string message) {
  // Not under the lock: the caller is a request's thread, and the worker may be in the outbox.
  // After Stop too: the outbox outlives the worker, and the next process sends what is there.
  auto put = state_->outbox->Put(label, message);
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->enqueued = true;
  state_->look = true;
  if (!put.ok()) {
    if (state_->stopping || state_->staged.size() >= state_->capacity) {
      ++state_->dropped;
      log::Warn("mail_dropped", {{"what", label},
                                 {"reason", "outbox unwritable: " + put.status().message()},
                                 {"dropped_total", std::to_string(state_->dropped)}});
      return false;
    }
    log::Warn("mail_outbox", {{"what", label}, {"detail", put.status().message()}});
    state_->staged.emplace_back(std::move(label), std::move(message));
  }
  state_->wake.notify_one();
  return true;
}

Status MailQueue::EnqueueIn(storage::Connection& c, const std::string& label,
                            const std::string& message) {
  return state_->outbox->Put(c, label, message).status();
}

void MailQueue::Wake() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->enqueued = true;
  state_->look = true;
  state_->wake.notify_one();
}

void MailQueue::Resume() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->resume = true;
  state_->look = true;
  state_->wake.notify_one();
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
  // Send what this process queued; a process that queued nothing leaves the outbox alone.
  state_->look = state_->resume || state_->enqueued;
  state_->wake.notify_one();
  if (state_->finished.wait_for(lock, limit, [&] { return state_->done; })) {
    if (state_->staged.empty()) return;
  } else {
    // The worker is stuck in the mail system: what is due stays in the outbox.
    state_->abandoned = true;
    log::Warn("mail_stopped_while_sending", {});
  }
  const std::size_t left = state_->staged.size();
  if (left == 0) return;
  state_->dropped += left;
  state_->staged.clear();
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
std::uint64_t MailQueue::given_up() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->given_up;
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

std::string RenderMailMetrics(const MailQueue* queue, const mail::OutboxCounts* counts) {
  std::string out;
  auto counter = [&](const char* name, const char* help, std::uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name +
           " " + std::to_string(value) + "\n";
  };
  counter("psea_mail_sent_total", "E-mail messages the mail system accepted.",
          queue ? queue->sent() : 0);
  counter("psea_mail_refused_total",
          "Attempts the mail system refused (the message is tried again).",
          queue ? queue->failed() : 0);
  counter("psea_mail_given_up_total",
          "Messages refused for 24 hours, kept in the outbox as failed.",
          queue ? queue->given_up() : 0);
  counter("psea_mail_dropped_total", "Messages that could not be written to the outbox.",
          queue ? queue->dropped() : 0);
  if (counts) {
    out +=
        "# HELP psea_mail_outbox_messages Messages in the mail outbox, by status.\n"
        "# TYPE psea_mail_outbox_messages gauge\n"
        "psea_mail_outbox_messages{status=\"pending\"} " +
        std::to_string(counts->pending) + "\npsea_mail_outbox_messages{status=\"failed\"} " +
        std::to_string(counts->failed) + "\n";
  }
  return out;
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
