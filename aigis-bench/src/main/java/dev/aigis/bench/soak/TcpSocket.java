package dev.aigis.bench.soak;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code /proc/PID/net/tcp} or {@code tcp6}. Those files list every TCP socket of the
 * process's network namespace, not of the process: a socket is the process's when its inode is
 * the target of one of the process's {@code /proc/PID/fd} links ({@code socket:[inode]}).
 *
 * @param localPort the port this side of the connection uses
 * @param remotePort the peer's port; 0 for a listening socket
 * @param state the kernel's state code: {@link #ESTABLISHED}, {@link #CLOSE_WAIT}, {@link #LISTEN}...
 * @param inode the socket's inode
 */
record TcpSocket(int localPort, int remotePort, int state, long inode) {

  static final int ESTABLISHED = 0x01;
  static final int CLOSE_WAIT = 0x08;
  static final int LISTEN = 0x0A;

  /**
   * The rows of one file. Addresses are {@code HEX_IP:HEX_PORT} (8 hex digits of IPv4, 32 of
   * IPv6), the state two hex digits, the inode the tenth column, in decimal.
   */
  static List<TcpSocket> parse(String table) {
    List<TcpSocket> sockets = new ArrayList<>();
    for (String line : table.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 10 || !f[0].endsWith(":") || f[0].equals("sl")) {
        continue; // the header, or a blank line
      }
      sockets.add(new TcpSocket(port(f[1]), port(f[2]), Integer.parseInt(f[3], 16), Long.parseLong(f[9])));
    }
    return sockets;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
  }
}
