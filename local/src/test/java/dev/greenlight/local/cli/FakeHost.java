package dev.greenlight.local.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback stand-in for a running Greenlight: answers each request with the next scripted
 * answer (the last one repeats) and records what arrived. A data folder with keys goes with it.
 */
final class FakeHost implements AutoCloseable {
    /** What arrived: method, path with query, body, and the actor header. */
    record Request(String method, String path, String body, String actor) {
    }

    /** One scripted answer; a negative status drops the connection without answering. */
    record Answer(int status, String body) {
        static Answer drop() {
            return new Answer(-1, "");
        }
    }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    final Path data;

    FakeHost(Path data) {
        this.data = data;
        try {
            Path secrets = Files.createDirectories(data.resolve("secrets"));
            for (String key : List.of("admin.key", "function.key", "eventgrid_extension.key")) {
                Files.writeString(secrets.resolve(key), "test-" + key);
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::answer);
        server.start();
    }

    /** Answers with these, in order; the last one repeats. */
    FakeHost answers(Answer... answers) {
        synchronized (script) {
            script.clear();
            script.addAll(List.of(answers));
        }
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The options that point a command at this host. */
    String[] options() {
        return new String[] {"--url", "http://127.0.0.1:" + server.getAddress().getPort(), "--data", data.toString()};
    }

    /** {@code args} followed by {@link #options()}. */
    String[] with(String... args) {
        String[] options = options();
        String[] all = new String[args.length + options.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(options, 0, all, args.length, options.length);
        return all;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body,
                exchange.getRequestHeaders().getFirst("x-greenlight-actor")));
        Answer answer;
        synchronized (script) {
            answer = script.size() > 1 ? script.poll() : script.peek();
        }
        if (answer == null || answer.status() < 0) {
            exchange.close(); // no status line: the client sees the connection drop
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static String decision(String outcome, String from, String to) {
        return """
                {"id":"d-1","model":"iris-clf","version":"2","outcome":"%s","reason":"why","checks":[],
                 "actor":"cli:test@host","fromVersion":%s,"toVersion":%s,"generation":2,"at":"2026-12-03T15:00:00Z"}"""
                .formatted(outcome, from == null ? "null" : "\"" + from + "\"", to == null ? "null" : "\"" + to + "\"");
    }
}
