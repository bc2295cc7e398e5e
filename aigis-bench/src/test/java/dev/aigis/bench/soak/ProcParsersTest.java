package dev.aigis.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parsers of what the probe reads, on text as Linux and JDK 25 write it. */
class ProcParsersTest {

  private static final String STATUS = """
      Name:	java
      Umask:	0022
      State:	S (sleeping)
      Tgid:	20712
      Pid:	20712
      VmPeak:	 3629332 kB
      VmSize:	 3629332 kB
      VmHWM:	  472312 kB
      VmRSS:	  461236 kB
      RssAnon:	  430112 kB
      VmData:	  612480 kB
      Threads:	25
      SigQ:	0/95421
      """;

  // IPv4: the gateway's listener (:8080 = 1F90), a client connection to it, a connection to the
  // upstream (:40149 = 9CD5), one in CLOSE_WAIT, and the upstream's own side of that connection.
  private static final String TCP = """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0
         1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 20 4 30 10 -1
         2: 0100007F:B3A4 0100007F:9CD5 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0000000000000000 20 4 30 10 -1
         3: 0100007F:B3A6 0100007F:9CD5 08 00000000:00000000 00:00000000 00000000     0        0 1004 1 0000000000000000 20 4 30 10 -1
         4: 0100007F:9CD5 0100007F:B3A4 01 00000000:00000000 00:00000000 00000000     0        0 2001 1 0000000000000000 20 4 30 10 -1
      """;
  // IPv6 (v4-mapped): a second connection to the upstream
  private static final String TCP6 = """
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 0000000000000000FFFF00000100007F:B3B0 0000000000000000FFFF00000100007F:9CD5 01 00000000:00000000 00:00000000 00000000     0        0 1005 1 0000000000000000 20 4 30 10 -1
      """;

  // jcmd PID GC.heap_info, ParallelGC (what the gateway runs) and G1
  private static final String PARALLEL_HEAP = """
      10944:
      Command executed successfully
      PSYoungGen      total 76288K, used 1310K [0x00000000eab00000, 0x00000000f0000000, 0x0000000100000000)
       eden space 65536K, 2% used [0x00000000eab00000,0x00000000eac47af8,0x00000000eeb00000)
       from space 10752K, 0% used [0x00000000ef580000,0x00000000ef580000,0x00000000f0000000)
       to   space 10752K, 0% used [0x00000000eeb00000,0x00000000eeb00000,0x00000000ef580000)
      ParOldGen       total 175104K, used 9868K [0x00000000c0000000, 0x00000000cab00000, 0x00000000eab00000)
       object space 175104K, 5% used [0x00000000c0000000,0x00000000c09a3298,0x00000000cab00000)
      """;
  private static final String G1_HEAP = """
      13539:
      garbage-first heap   total reserved 6172672K, committed 393216K, used 19908K [0x0000000687400000, 0x0000000800000000)
       region size 4096K, 4 young (16384K), 1 survivors (4096K)
      """;

  @Test
  void procStatusGivesRssInBytesAndThreads() {
    assertThat(ProcStatus.parse(STATUS)).isEqualTo(new ProcStatus(461_236L * 1024, 25));
  }

  @Test
  void procStatusWithoutRssIsRefused() {
    assertThatThrownBy(() -> ProcStatus.parse("Name:\tjava\nState:\tZ (zombie)\nThreads:\t1\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tcpRowsGivePortsStateAndInode() {
    List<TcpSocket> sockets = TcpSocket.parse(TCP);

    assertThat(sockets).hasSize(5);
    assertThat(sockets.get(0)).isEqualTo(new TcpSocket(8080, 0, TcpSocket.LISTEN, 1001));
    assertThat(sockets.get(1)).isEqualTo(new TcpSocket(8080, 54_000, TcpSocket.ESTABLISHED, 1002));
    assertThat(sockets.get(3)).isEqualTo(new TcpSocket(45_990, 40_149, TcpSocket.CLOSE_WAIT, 1004));
    assertThat(TcpSocket.parse(TCP6)).containsExactly(new TcpSocket(46_000, 40_149, TcpSocket.ESTABLISHED, 1005));
  }

  @Test
  void connectionsCountOnlyTheProcessesOwnSockets() {
    List<TcpSocket> sockets = new ArrayList<>(TcpSocket.parse(TCP));
    sockets.addAll(TcpSocket.parse(TCP6));
    Set<Long> gateway = Set.of(1001L, 1002L, 1003L, 1004L, 1005L); // 2001 is the upstream's

    assertThat(Connections.of(sockets, gateway, 40_149, 8080)).isEqualTo(new Connections(2, 1, 1));
    assertThat(Connections.of(sockets, Set.of(), 40_149, 8080)).isEqualTo(new Connections(0, 0, 0));
  }

  @Test
  void heapInfoSumsTheGenerations() {
    assertThat(HeapInfo.parse(PARALLEL_HEAP)).isEqualTo(new HeapInfo((1310L + 9868) * 1024, (76288L + 175104) * 1024));
    assertThat(HeapInfo.parse(G1_HEAP)).isEqualTo(new HeapInfo(19908L * 1024, 393216L * 1024));
  }

  @Test
  void heapInfoWithoutAHeapIsRefused() {
    assertThatThrownBy(() -> HeapInfo.parse("20712:\nCommand executed successfully\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no heap");
  }
}
