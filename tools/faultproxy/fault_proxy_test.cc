// The fault proxy with real sockets on loopback: an echo server behind it, a client in front.
// Times are asserted only as lower bounds (a fault adds at least its delay); waits are bounded
// by kPatience, which is never a measurement.
#include "tools/faultproxy/fault_proxy.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/status/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace summit::faultproxy {
namespace {

using ::summit::testing::StatusIs;

constexpr absl::Duration kPatience = absl::Seconds(30);

Fault Parsed(absl::string_view text) {
  absl::StatusOr<Fault> fault = ParseFault(text);
  EXPECT_TRUE(fault.ok()) << fault.status();
  return fault.value_or(Fault());
}

// A TCP echo server on 127.0.0.1 (any free port): every connection gets back what it sends,
// and is closed once the client has closed its side.
class EchoServer {
 public:
  EchoServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(listen(fd_, 16), 0);
    socklen_t length = sizeof address;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    accept_ = std::thread([this] { AcceptLoop(); });
  }
  ~EchoServer() {
    shutdown(fd_, SHUT_RDWR);  // wakes accept()
    accept_.join();
    close(fd_);
    absl::MutexLock lock(&mu_);
    for (std::thread& echo : echoes_) echo.join();
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  // Connections whose read ended in ECONNRESET.
  int resets_seen() const { return resets_seen_.load(); }

 private:
  void AcceptLoop() {
    while (true) {
      const int connection = accept(fd_, nullptr, nullptr);
      if (connection < 0) return;
      absl::MutexLock lock(&mu_);
      echoes_.emplace_back([this, connection] { Echo(connection); });
    }
  }
  void Echo(int connection) {
    char buffer[16384];
    while (true) {
      const ssize_t n = recv(connection, buffer, sizeof buffer, 0);
      if (n < 0 && errno == ECONNRESET) resets_seen_.fetch_add(1);
      if (n <= 0) break;
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t written = send(connection, buffer + sent, n - sent, MSG_NOSIGNAL);
        if (written <= 0) break;
        sent += written;
      }
    }
    close(connection);
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> resets_seen_{0};
  std::thread accept_;
  absl::Mutex mu_;
  std::vector<std::thread> echoes_ ABSL_GUARDED_BY(mu_);
};

// A client socket connected to `port` on 127.0.0.1; -1 if the connect failed.
int Connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  for (size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// What one read attempt ended with.
struct Received {
  std::string bytes;
  bool end_of_stream = false;
  int error = 0;  // errno of a failed read (e.g. ECONNRESET)
  bool timed_out = false;
};

// Reads until `count` bytes came, the stream ended or failed, or `timeout` passed.
Received ReceiveUpTo(int fd, size_t count, absl::Duration timeout) {
  Received received;
  const absl::Time deadline = absl::Now() + timeout;
  while (received.bytes.size() < count) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      received.timed_out = true;
      break;
    }
    pollfd readable{fd, POLLIN, 0};
    const int ready = poll(&readable, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready == 0) continue;
    char buffer[65536];
    const ssize_t n =
        recv(fd, buffer, std::min(sizeof buffer, count - received.bytes.size()), MSG_DONTWAIT);
    if (n > 0) {
      received.bytes.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      received.end_of_stream = true;
      break;
    } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      received.error = errno;
      break;
    }
  }
  return received;
}

std::string RandomBytes(size_t count, uint32_t seed) {
  std::mt19937 random(seed);
  std::string bytes(count, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
  return bytes;
}

class FaultProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<FaultProxy>> proxy =
        FaultProxy::Start({.upstream = echo_.address()});
    ASSERT_OK(proxy.status());
    proxy_ = *std::move(proxy);
    ASSERT_GT(proxy_->port(), 0);
  }

  // A client through the proxy whose first message has made the round trip, so the
  // connection is established end to end.
  int ConnectedClient() {
    const int fd = Connect(proxy_->port());
    EXPECT_GE(fd, 0);
    EXPECT_TRUE(SendAll(fd, "hello"));
    EXPECT_EQ(ReceiveUpTo(fd, 5, kPatience).bytes, "hello");
    return fd;
  }

  EchoServer echo_;
  std::unique_ptr<FaultProxy> proxy_;
};

TEST_F(FaultProxyTest, BytesPassUnchangedBothWaysAndTheEndIsPassedOn) {
  const int fd = Connect(proxy_->port());
  ASSERT_GE(fd, 0);
  const std::string sent = RandomBytes(3 << 20, 20231206);
  // Sent from a thread while this one reads: 3 MiB is more than the buffers on the way hold.
  std::thread sender([&] {
    EXPECT_TRUE(SendAll(fd, sent));
    shutdown(fd, SHUT_WR);
  });
  const Received received = ReceiveUpTo(fd, sent.size() + 1, kPatience);
  sender.join();
  EXPECT_TRUE(received.bytes == sent)
      << "got " << received.bytes.size() << " bytes of " << sent.size() << ", not all equal";
  EXPECT_TRUE(received.end_of_stream);  // the echo server closed after our FIN reached it
  close(fd);
  const FaultProxy::Stats stats = proxy_->stats();
  EXPECT_EQ(stats.bytes_up, static_cast<int64_t>(sent.size()));
  EXPECT_EQ(stats.bytes_down, static_cast<int64_t>(sent.size()));
  EXPECT_EQ(stats.connections_accepted, 1);
  EXPECT_EQ(stats.connections_reset, 0);
}

TEST_F(FaultProxyTest, LatencyAddsAtLeastTheDelayInEachDirection) {
  const int fd = ConnectedClient();
  proxy_->SetFault(Parsed("up.latency=120ms,down.latency=80ms"));
  for (int round = 0; round < 3; ++round) {
    const absl::Time start = absl::Now();
    ASSERT_TRUE(SendAll(fd, "ping"));
    ASSERT_EQ(ReceiveUpTo(fd, 4, kPatience).bytes, "ping");
    EXPECT_GE(absl::Now() - start, absl::Milliseconds(200)) << "round " << round;
  }
  close(fd);
}

TEST_F(FaultProxyTest, BandwidthLimitBoundsThroughput) {
  const int fd = ConnectedClient();
  constexpr int64_t kBytesPerSecond = 256 * 1024;
  proxy_->SetFault(Parsed(absl::StrCat("up.bandwidth=", kBytesPerSecond)));
  const std::string sent = RandomBytes(128 * 1024, 7);
  const absl::Time start = absl::Now();
  std::thread sender([&] { EXPECT_TRUE(SendAll(fd, sent)); });
  const Received received = ReceiveUpTo(fd, sent.size(), kPatience);
  sender.join();
  const absl::Duration elapsed = absl::Now() - start;
  EXPECT_TRUE(received.bytes == sent);
  // 128 KiB at 256 KiB/s: at least half a second, however fast the machine.
  EXPECT_GE(elapsed, absl::Milliseconds(500));
  close(fd);
}

TEST_F(FaultProxyTest, ResetMakesTheClientAndTheUpstreamSeeConnectionReset) {
  const int fd = ConnectedClient();
  proxy_->SetFault(Parsed("reset"));
  const Received received = ReceiveUpTo(fd, 1, kPatience);
  EXPECT_EQ(received.error, ECONNRESET) << "end of stream " << received.end_of_stream;
  close(fd);
  for (int wait = 0; wait < 300 && echo_.resets_seen() == 0; ++wait) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(echo_.resets_seen(), 1);
  EXPECT_EQ(proxy_->stats().connections_reset, 1);

  // "reset" acts once: a new connection then works.
  const int again = ConnectedClient();
  close(again);
}

TEST_F(FaultProxyTest, ResetNewResetsEachNewConnectionUntilLifted) {
  const int open = ConnectedClient();
  proxy_->SetFault(Parsed("reset_new"));
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int fd = Connect(proxy_->port());  // the kernel completes the handshake
    ASSERT_GE(fd, 0);
    // Nothing sent: a send could take the reset (ECONNRESET) first, and the read then sees
    // only the end of the stream.
    EXPECT_EQ(ReceiveUpTo(fd, 1, kPatience).error, ECONNRESET) << "attempt " << attempt;
    close(fd);
  }
  // The connection open before is untouched.
  ASSERT_TRUE(SendAll(open, "still"));
  EXPECT_EQ(ReceiveUpTo(open, 5, kPatience).bytes, "still");
  proxy_->SetFault(Fault());
  const int fd = ConnectedClient();
  close(fd);
  close(open);
}

TEST_F(FaultProxyTest, BlackHoleMakesAClientWithADeadlineTimeOutAndHealsAfter) {
  const int fd = ConnectedClient();
  proxy_->SetFault(Parsed("black_hole"));
  ASSERT_TRUE(SendAll(fd, "lost?"));
  const Received during = ReceiveUpTo(fd, 5, absl::Milliseconds(300));
  EXPECT_TRUE(during.timed_out);
  EXPECT_EQ(during.bytes, "");
  EXPECT_EQ(during.error, 0);
  // New connections are accepted and held too.
  const int held = Connect(proxy_->port());
  ASSERT_GE(held, 0);
  ASSERT_TRUE(SendAll(held, "held"));
  EXPECT_TRUE(ReceiveUpTo(held, 4, absl::Milliseconds(300)).timed_out);

  // Lifted: what waited in the buffers goes through, as after a healed partition.
  proxy_->SetFault(Fault());
  EXPECT_EQ(ReceiveUpTo(fd, 5, kPatience).bytes, "lost?");
  EXPECT_EQ(ReceiveUpTo(held, 4, kPatience).bytes, "held");
  close(held);
  close(fd);
}

TEST_F(FaultProxyTest, OneWayBlackHoleDeliversRequestsAndLosesAnswers) {
  const int fd = ConnectedClient();
  proxy_->SetFault(Parsed("down.black_hole"));
  ASSERT_TRUE(SendAll(fd, "request"));
  EXPECT_TRUE(ReceiveUpTo(fd, 7, absl::Milliseconds(300)).timed_out);
  // The request reached the echo server (it echoed): the bytes forwarded up say so.
  for (int wait = 0; wait < 300 && proxy_->stats().bytes_up < 12; ++wait) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(proxy_->stats().bytes_up, 12);  // "hello" and "request"
  proxy_->SetFault(Parsed("reset"));        // the answer is never delivered
  EXPECT_EQ(ReceiveUpTo(fd, 7, kPatience).error, ECONNRESET);
  close(fd);
}

TEST_F(FaultProxyTest, ScheduleSetsEachStepInTurn) {
  proxy_->RunSchedule(ParseSchedule("50ms:latency=10ms; 50ms:black_hole; 50ms:reset_new").value());
  ASSERT_TRUE(proxy_->WaitForSchedule(kPatience));
  EXPECT_EQ(proxy_->fault(), Parsed("reset_new"));

  // A new schedule replaces a running one; SetFault cancels it.
  proxy_->RunSchedule(ParseSchedule("1h:black_hole").value());
  EXPECT_FALSE(proxy_->WaitForSchedule(absl::Milliseconds(50)));
  proxy_->SetFault(Fault());
  EXPECT_TRUE(proxy_->WaitForSchedule(kPatience));  // cancelled counts as ended
  EXPECT_EQ(proxy_->fault(), Fault());
  const int fd = ConnectedClient();
  close(fd);
}

TEST_F(FaultProxyTest, StopClosesOpenConnections) {
  const int fd = ConnectedClient();
  proxy_->Stop();
  const Received received = ReceiveUpTo(fd, 1, kPatience);
  EXPECT_TRUE(received.end_of_stream || received.error != 0);
  close(fd);
  proxy_->Stop();  // idempotent
}

TEST(FaultProxyStartTest, UpstreamThatRefusesResetsTheClient) {
  // A port nothing listens on: bind one, then close it.
  const int placeholder = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(placeholder, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  getsockname(placeholder, reinterpret_cast<sockaddr*>(&address), &length);
  close(placeholder);
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<FaultProxy> proxy,
      FaultProxy::Start({.upstream = absl::StrCat("127.0.0.1:", ntohs(address.sin_port))}));
  const int fd = Connect(proxy->port());
  ASSERT_GE(fd, 0);
  EXPECT_EQ(ReceiveUpTo(fd, 1, kPatience).error, ECONNRESET);
  close(fd);
}

TEST(FaultProxyStartTest, RefusesAddressesOffLoopback) {
  for (const char* upstream :
       {"10.0.0.1:80", "192.168.1.1:80", "0.0.0.0:80", "[::]:80", "8.8.8.8:53", "example.org:80",
        "[2001:db8::1]:80", "127.0.0.1", "127.0.0.1:70000", "127.0.0.1:0"}) {
    EXPECT_THAT(FaultProxy::Start({.upstream = upstream}),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << upstream;
  }
  for (const char* listen : {"0.0.0.0:0", "[::]:0", "10.1.2.3:0"}) {
    EXPECT_THAT(FaultProxy::Start({.listen = listen, .upstream = "127.0.0.1:1"}),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << listen;
  }
  // The whole of 127.0.0.0/8 is loopback.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<FaultProxy> proxy,
                       FaultProxy::Start({.listen = "127.0.0.2:0", .upstream = "localhost:1"}));
  EXPECT_EQ(proxy->address(), absl::StrCat("127.0.0.2:", proxy->port()));
}

}  // namespace
}  // namespace summit::faultproxy
