package dev.greenlight.local.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of a dependency (here Azurite) that a test can cut as an outage
 * would: at once, or as soon as a request whose bytes contain a marker passes (a store that
 * fails in the middle of a promotion), until it is restored. The dependency keeps its data.
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicReference<java.util.function.Predicate<String>> cutAt = new AtomicReference<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    CuttableProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Cuts every connection now and refuses new ones until {@link #restore()}. */
    void cut() {
        cut.set(true);
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
    }

    /** Cuts everything as soon as a request whose bytes match {@code request} reaches the proxy (it is not forwarded). */
    void cutAt(java.util.function.Predicate<String> request) {
        cutAt.set(request);
    }

    void restore() {
        cutAt.set(null);
        cut.set(false);
    }

    boolean isCut() {
        return cut.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut.get()) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed, or the upstream refused: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to, boolean inspect) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    java.util.function.Predicate<String> rule = cutAt.get();
                    if (inspect && rule != null && rule.test(new String(buffer, 0, n, StandardCharsets.ISO_8859_1))) {
                        cut();
                        return;
                    }
                    if (cut.get()) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
