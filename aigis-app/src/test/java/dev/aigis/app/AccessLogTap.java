package dev.aigis.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The gateway's access-log lines ({@code aigis.access}) while open, for a test that must wait until
 * an exchange has ended: the gateway writes the line last, after the exchange's metrics, so a test
 * that has seen the line can read the metrics without polling them.
 */
public final class AccessLogTap implements AutoCloseable {

  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger("aigis.access");
  private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      lines.add(event.getFormattedMessage());
    }
  };

  private AccessLogTap() {
    appender.start();
    logger.addAppender(appender);
  }

  public static AccessLogTap open() {
    return new AccessLogTap();
  }

  /**
   * The next line containing {@code text}, skipping others, waiting up to {@code within} (a bound
   * for a broken test); {@code null} when none came.
   */
  public String await(String text, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    for (long left = within.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      String line = lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        return null;
      }
      if (line.contains(text)) {
        return line;
      }
    }
    return null;
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
