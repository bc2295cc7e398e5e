package dev.aigis.extproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aigis.model.processing.ExtProcessSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExtProcChannelsTest {

  @Test
  void oneChannelPerEndpointAllClosedTogether() {
    var channels = new ExtProcChannels(Duration.ofMillis(100));
    var a = channels.channel(new ExtProcessSpec("127.0.0.1", 9001, false, null));
    var again = channels.channel(new ExtProcessSpec("127.0.0.1", 9001, false, ExtProcessSpec.ProcessingModeSpec.DEFAULT));
    var tls = channels.channel(new ExtProcessSpec("127.0.0.1", 9001, true, null));
    var other = channels.channel(new ExtProcessSpec("127.0.0.1", 9002, false, null));

    assertThat(again).isSameAs(a);
    assertThat(tls).isNotSameAs(a);
    assertThat(other).isNotSameAs(a);
    assertThat(channels.size()).isEqualTo(3);

    channels.close();

    assertThat(a.isShutdown()).isTrue();
    assertThat(tls.isShutdown()).isTrue();
    assertThat(channels.size()).isZero();
    assertThatThrownBy(() -> channels.channel(new ExtProcessSpec("127.0.0.1", 9001, false, null)))
        .isInstanceOf(IllegalStateException.class);
  }
}
