#include "app/alerts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace psea::app {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Records what it is given; while held, every Send waits for Release().
class FakeSender : public MailSender {
 public:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> sent;
    bool held = false;
    int in_send = 0;
  };
  explicit FakeSender(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  bool Send(const std::string& message) override {
    std::unique_lock<std::mutex> lock(shared_->mutex);
    ++shared_->in_send;
    shared_->changed.notify_all();
    shared_->changed.wait(lock, [&] { return !shared_->held; });
    --shared_->in_send;
    shared_->sent.push_back(message);
    shared_->changed.notify_all();
    return true;
  }

 private:
  std::shared_ptr<Shared> shared_;
};

struct Fixture {
  std::shared_ptr<FakeSender::Shared> shared = std::make_shared<FakeSender::Shared>();
  std::unique_ptr<MailSender> Sender() { return std::make_unique<FakeSender>(shared); }
  void Hold(bool held) {
    std::lock_guard<std::mutex> lock(shared->mutex);
    shared->held = held;
    shared->changed.notify_all();
  }
  // Waits (at most 5 s) until `predicate` holds under the lock.
  template <typename P>
  bool WaitFor(P predicate) {
    std::unique_lock<std::mutex> lock(shared->mutex);
    return shared->changed.wait_for(lock, 5s, [&] { return predicate(*shared); });
  }
};

TEST(MailQueueTest, SendsInOrderOnItsOwnThread) {
  Fixture f;
  MailQueue queue(f.Sender(), 8);
  EXPECT_TRUE(queue.Enqueue("one", "first"));
  EXPECT_TRUE(queue.Enqueue("two", "second"));
  ASSERT_TRUE(f.WaitFor([](auto& s) { return s.sent.size() == 2; }));
  EXPECT_EQ(f.shared->sent, (std::vector<std::string>{"first", "second"}));
  queue.Stop();
  EXPECT_EQ(queue.sent(), 2u);
  EXPECT_EQ(queue.dropped(), 0u);
}

TEST(MailQueueTest, AFullQueueDropsAndNeverBlocks) {
  Fixture f;
  f.Hold(true);  // the mail system hangs
  MailQueue queue(f.Sender(), 3);
  ASSERT_TRUE(queue.Enqueue("busy", "in the sender"));
  ASSERT_TRUE(f.WaitFor([](auto& s) { return s.in_send == 1; }));
  const auto start = std::chrono::steady_clock::now();
  int accepted = 0;
  for (int i = 0; i < 100; ++i) accepted += queue.Enqueue("alert", "m") ? 1 : 0;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);  // never waited for the sender
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(queue.dropped(), 97u);
  f.Hold(false);
  ASSERT_TRUE(f.WaitFor([](auto& s) { return s.sent.size() == 4; }));
  queue.Stop();
  EXPECT_EQ(queue.sent(), 4u);
}

TEST(MailQueueTest, StopDrainsWhatIsQueued) {
  Fixture f;
  f.Hold(true);
  auto queue = std::make_unique<MailQueue>(f.Sender(), 8);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(queue->Enqueue("alert", std::to_string(i)));
  std::thread release([&] {
    std::this_thread::sleep_for(50ms);
    f.Hold(false);
  });
  queue->Stop(5s);
  release.join();
  EXPECT_EQ(queue->sent(), 5u);
  EXPECT_FALSE(queue->Enqueue("late", "after stop"));  // refused, counted
  EXPECT_EQ(queue->dropped(), 1u);
}

TEST(MailQueueTest, StopGivesUpOnAHangingMailSystemAfterItsLimit) {
  Fixture f;
  f.Hold(true);
  {
    MailQueue queue(f.Sender(), 8);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(queue.Enqueue("alert", std::to_string(i)));
    ASSERT_TRUE(f.WaitFor([](auto& s) { return s.in_send == 1; }));
    const auto start = std::chrono::steady_clock::now();
    queue.Stop(200ms);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 200ms);
    EXPECT_LT(took, 2s);
    EXPECT_EQ(queue.dropped(), 3u);  // the one in the sender is neither sent nor dropped yet
  }
  // The detached worker still owns the sender: releasing it now touches no freed memory.
  f.Hold(false);
  ASSERT_TRUE(f.WaitFor([](auto& s) { return s.sent.size() == 1; }));
}

TEST(AnchorMailerTest, MailsTheHeadAtStartThenEveryDay) {
  Fixture f;
  MailQueue queue(f.Sender(), 8);
  FakeClock clock(1'800'000'000'000);
  security::AuditAnchor head{41, std::string(64, 'a')};
  int reads = 0;
  AnchorMailer mailer(
      [&]() -> Result<security::AuditAnchor> {
        ++reads;
        return head;
      },
      clock, queue, "psea@mission.example", {"cdt@mission.example"});
  mailer.Poll();
  ASSERT_TRUE(f.WaitFor([](auto& s) { return s.sent.size() == 1; }));
  EXPECT_THAT(f.shared->sent[0], HasSubstr("psea audit verify --anchor 41:" + head.hash));
  EXPECT_THAT(f.shared->sent[0], HasSubstr("To: cdt@mission.example"));

  clock.Advance(AnchorMailer::kEveryMillis - 1);
  mailer.Poll();  // not yet a day
  EXPECT_EQ(reads, 1);
  head = {97, std::string(64, 'b')};
  clock.Advance(1);
  mailer.Poll();
  ASSERT_TRUE(f.WaitFor([](auto& s) { return s.sent.size() == 2; }));
  EXPECT_THAT(f.shared->sent[1], HasSubstr("psea audit verify --anchor 97:" + head.hash));
  queue.Stop();
}

TEST(AnchorMailerTest, AnUnreadableHeadIsTriedAgainAtTheNextPoll) {
  Fixture f;
  MailQueue queue(f.Sender(), 8);
  FakeClock clock(1'800'000'000'000);
  bool readable = false;
  AnchorMailer mailer(
      [&]() -> Result<security::AuditAnchor> {
        if (!readable) return Unavailable("database busy");
        return security::AuditAnchor{3, std::string(64, 'c')};
      },
      clock, queue, "psea@mission.example", {"cdt@mission.example"});
  mailer.Poll();
  readable = true;
  clock.Advance(60'000);
  mailer.Poll();
  ASSERT_TRUE(f.WaitFor([](auto& s) { return s.sent.size() == 1; }));
  queue.Stop();
}

TEST(MailQueueTest, TheTickRunsOnTheWorker) {
  Fixture f;
  MailQueue queue(f.Sender(), 8, 10ms);
  std::atomic<int> ticks = 0;
  queue.SetTick([&] { ++ticks; });
  for (int i = 0; i < 500 && ticks < 3; ++i) std::this_thread::sleep_for(10ms);
  queue.Stop();
  EXPECT_GE(ticks.load(), 3);
}

TEST(AlertsTest, SplitsAddresses) {
  EXPECT_EQ(SplitAddresses(" cdt@x.org, chief@x.org ,,"),
            (std::vector<std::string>{"cdt@x.org", "chief@x.org"}));
}

}  // namespace
}  // namespace psea::app
