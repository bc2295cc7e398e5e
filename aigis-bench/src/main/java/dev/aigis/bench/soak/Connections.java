package dev.aigis.bench.soak;

import java.util.List;
import java.util.Set;

/**
 * The gateway's TCP connections at one moment, counted from the namespace's socket tables and the
 * process's own socket inodes.
 *
 * @param upstream established connections from the gateway to the upstream's port (its pool)
 * @param clients established connections clients hold on the gateway's traffic port
 * @param closeWait the process's sockets the peer closed and the gateway has not (a leak when it grows)
 */
record Connections(int upstream, int clients, int closeWait) {

  static Connections of(List<TcpSocket> sockets, Set<Long> ownInodes, int upstreamPort, int trafficPort) {
    int upstream = 0;
    int clients = 0;
    int closeWait = 0;
    for (TcpSocket s : sockets) {
      if (!ownInodes.contains(s.inode())) {
        continue;
      }
      if (s.state() == TcpSocket.ESTABLISHED && s.remotePort() == upstreamPort) {
        upstream++;
      } else if (s.state() == TcpSocket.ESTABLISHED && s.localPort() == trafficPort) {
        clients++;
      } else if (s.state() == TcpSocket.CLOSE_WAIT) {
        closeWait++;
      }
    }
    return new Connections(upstream, clients, closeWait);
  }
}
