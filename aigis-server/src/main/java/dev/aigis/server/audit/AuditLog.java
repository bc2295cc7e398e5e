package dev.aigis.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tamper-evident audit log: one JSON line per {@link AuditRecord}, hash-chained by
 * {@link AuditChain}, rotated by size ({@code FILE}, {@code FILE.1} ... {@code FILE.N}, the oldest
 * dropped).
 *
 * <p>Threading: {@link #submit} is called on event loops and never blocks; records go through a
 * bounded queue to one dedicated writer thread, the only one that touches the files. When the queue
 * is full the record is dropped and counted ({@link #dropped}); the writer then writes a {@code gap}
 * record with the number lost, so the chain stays whole and the loss is visible in the file. The
 * gap's position is where the writer learnt of the loss; its count is exact.
 *
 * <p>Durability: the writer calls {@code fsync} ({@code FileChannel.force}) whenever it has drained
 * its queue, before a rotation and on close, so a burst costs one sync and a quiet log loses nothing
 * written before a crash of the machine.
 *
 * <p>On start, an existing {@code FILE} is continued: the chain goes on from its last line. A last
 * line that is not a whole record (a crash mid-write) is refused with an error naming the file.
 */
public final class AuditLog implements AutoCloseable {

  /** What of the request and answer content a record carries. */
  public enum Content {
    /** Nothing of the prompt or the completion (the default). */
    NONE,
    /** The SHA-256 of the request body as sent upstream; never the text. */
    HASH
  }

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Object STOP = new Object();

  private record Pending(Instant time, AuditRecord record) {}

  private record Flush(CompletableFuture<Void> done) {}

  private final Path file;
  private final long maxBytes;
  private final int keepFiles;
  private final Content content;
  private final InstantSource clock;
  private final BlockingQueue<Object> queue;
  private final AtomicLong dropped = new AtomicLong();
  /** Drops not yet reported by a gap record. */
  private final AtomicLong unreported = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;

  // Writer-thread state.
  private FileChannel channel;
  private long size;
  private long seq;
  private String head;

  private AuditLog(Builder builder) throws IOException {
    this.file = builder.file;
    this.maxBytes = builder.maxBytes;
    this.keepFiles = builder.files;
    this.content = builder.content;
    this.clock = builder.clock;
    this.queue = new ArrayBlockingQueue<>(builder.queueCapacity);
    resume();
    this.writer = builder.threads.newThread(this::run);
    writer.start();
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** What records carry of the content; the front door reads it to decide whether to hash the body. */
  public Content content() {
    return content;
  }

  /**
   * Queues {@code record}, stamped with the current time; never blocks. Dropped (and counted) when
   * the queue is full or the log is closed.
   */
  public void submit(AuditRecord record) {
    if (closed || !queue.offer(new Pending(clock.instant(), record))) {
      dropped.incrementAndGet();
      unreported.incrementAndGet();
    }
  }

  /** Records dropped since start because the queue was full (or the disk failed). */
  public long dropped() {
    return dropped.get();
  }

  /** Blocks until everything queued before the call is written and synced; not for event loops. */
  public void flush() throws InterruptedException {
    var done = new CompletableFuture<Void>();
    queue.put(new Flush(done));
    done.join();
  }

  /** Writes what is queued, syncs and closes the file; later submissions are dropped. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(STOP);
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      Object item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        long lost = unreported.getAndSet(0);
        if (lost > 0) {
          write("gap", clock.instant(), Map.of("lost", lost));
        }
        switch (item) {
          case Pending pending -> write("call", pending.time(), JSON.valueToTree(pending.record()));
          case Flush flush -> {
            sync();
            flush.done().complete(null);
          }
          default -> {
            sync();
            channel.close();
            return;
          }
        }
        if (queue.isEmpty()) {
          sync();
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("audit log {}: cannot write a record: {}", file, e.toString());
        if (item instanceof Pending) {
          dropped.incrementAndGet();
          unreported.incrementAndGet();
        } else if (item instanceof Flush flush) {
          flush.done().completeExceptionally(e);
        } else if (item == STOP) {
          return;
        }
      }
    }
  }

  private void write(String type, Instant time, Object payload) throws IOException {
    byte[] line = line(type, time, payload);
    if (size > 0 && size + line.length + 1 > maxBytes && !"rotated".equals(type)) {
      rotate(time);
      line = line(type, time, payload);
    }
    ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    size += line.length + 1;
    seq++;
    head = AuditChain.hash(line);
  }

  private byte[] line(String type, Instant time, Object payload) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("seq", seq + 1);
    node.put("time", time.toString());
    node.put("type", type);
    node.put("prev", head);
    node.setAll((ObjectNode) JSON.valueToTree(payload));
    return JSON.writeValueAsBytes(node);
  }

  /** FILE.N goes, FILE.i becomes FILE.i+1, FILE becomes FILE.1; the new FILE starts with the chain head. */
  private void rotate(Instant time) throws IOException {
    sync();
    channel.close();
    Files.deleteIfExists(numbered(keepFiles));
    for (int i = keepFiles - 1; i >= 1; i--) {
      if (Files.exists(numbered(i))) {
        Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
    open();
    write("rotated", time, Map.of("previousFile", numbered(1).getFileName().toString(), "previousSeq", seq));
  }

  private Path numbered(int i) {
    return file.resolveSibling(file.getFileName() + "." + i);
  }

  private void open() throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
  }

  private void sync() throws IOException {
    channel.force(false);
  }

  /** Continues the chain of an existing file, or starts one. */
  private void resume() throws IOException {
    seq = 0;
    head = AuditChain.GENESIS;
    if (Files.exists(file) && Files.size(file) > 0) {
      byte[] tail = tail(file);
      int end = tail.length - 1;
      int start = end;
      while (start > 0 && tail[start - 1] != '\n') {
        start--;
      }
      AuditChain.Line last = tail[end] == '\n'
          ? AuditChain.Line.parse(file, 0, java.util.Arrays.copyOfRange(tail, start, end), false)
          : null;
      if (last == null || last.node == null) {
        throw new IOException("audit log " + file + ": its last line is not a whole record; "
            + "check it with 'aigis audit verify' and move it away");
      }
      seq = last.seq;
      head = last.hash();
    }
    open();
  }

  /** The end of the file, enough to hold its last line (records are far smaller than 1 MiB). */
  private static byte[] tail(Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long from = Math.max(0, in.size() - (1 << 20));
      ByteBuffer buffer = ByteBuffer.allocate((int) (in.size() - from));
      while (buffer.hasRemaining() && in.read(buffer, from + buffer.position()) >= 0) {
        // read to the end
      }
      return buffer.array();
    }
  }

  /** Settings of an audit log, checked by {@link #build}. */
  public static final class Builder {
    private final Path file;
    private long maxBytes = 100L * 1024 * 1024;
    private int files = 5;
    private Content content = Content.NONE;
    private InstantSource clock = InstantSource.system();
    private int queueCapacity = 8192;
    private ThreadFactory threads = Thread.ofPlatform().name("aigis-audit").daemon(true).factory();

    private Builder(Path file) {
      this.file = file;
    }

    /** Rotate before a line would take the file past this size (default 100 MiB). */
    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    /** Rotated files kept besides the current one (default 5). */
    public Builder files(int files) {
      this.files = files;
      return this;
    }

    public Builder content(Content content) {
      this.content = content;
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /** Records waiting for the writer before new ones are dropped (default 8192). */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Where the writer thread comes from (a test's, to hold the writer back). */
    Builder threads(ThreadFactory threads) {
      this.threads = threads;
      return this;
    }

    /** Opens (or continues) the file and starts the writer. */
    public AuditLog build() {
      if (maxBytes < 1024) {
        throw new IllegalArgumentException("audit log max bytes must be at least 1024, not " + maxBytes);
      }
      if (files < 1) {
        throw new IllegalArgumentException("audit log files must be at least 1, not " + files);
      }
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("audit log queue capacity must be at least 1, not " + queueCapacity);
      }
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        return new AuditLog(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
  }
}
