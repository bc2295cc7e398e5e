package dev.aigis.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ForwardedForTest {

  @Test
  void byDefaultAClientWrittenChainIsReplacedByThePeer() {
    assertThat(new ForwardedFor(0).chain("203.0.113.7, 10.0.0.1", "198.51.100.2")).isEqualTo("198.51.100.2");
    assertThat(new ForwardedFor(0).chain(null, "198.51.100.2")).isEqualTo("198.51.100.2");
  }

  @Test
  void behindTrustedProxiesTheirEntriesAreKeptAndThePeerAppended() {
    // The client forged "1.2.3.4"; the load balancer in front of the gateway appended the client as it saw it.
    assertThat(new ForwardedFor(1).chain("1.2.3.4, 203.0.113.7", "10.0.0.5")).isEqualTo("203.0.113.7, 10.0.0.5");
    assertThat(new ForwardedFor(2).chain("1.2.3.4,203.0.113.7 , 10.0.0.9", "10.0.0.5"))
        .isEqualTo("203.0.113.7, 10.0.0.9, 10.0.0.5");
  }

  @Test
  void aShortOrEmptyChainKeepsWhatThereIs() {
    assertThat(new ForwardedFor(3).chain("203.0.113.7", "10.0.0.5")).isEqualTo("203.0.113.7, 10.0.0.5");
    assertThat(new ForwardedFor(1).chain(" , ", "10.0.0.5")).isEqualTo("10.0.0.5");
    assertThat(new ForwardedFor(1).chain("", "10.0.0.5")).isEqualTo("10.0.0.5");
  }

  @Test
  void negativeHopsAreRefused() {
    assertThatThrownBy(() -> new ForwardedFor(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
