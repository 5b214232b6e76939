package dev.vigil.opensearch;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.index.reindex.ReindexPlugin;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Starts one OpenSearch node for tests: loopback only, a temporary data path deleted on exit,
 * the netty4 HTTP transport, painless, analysis-common and reindex (for `_delete_by_query`),
 * single-node discovery. Prints
 * {@code OPENSEARCH_URL=http://host:port} on stdout once the cluster is green; stops on SIGTERM
 * (or when stdin closes, so a test runner that dies takes the node with it).
 *
 * <p>Arguments: {@code --host 127.0.0.1 --port 9200 [--data <dir>]}. With {@code --data} the node
 * keeps its data there (a test restarting the node finds its indices again) and leaves it on
 * exit; without, a temporary folder is used and deleted. The heap is the JVM's ({@code -Xmx}).
 * Bootstrap checks (memory lock, file descriptors, max map count) are production checks run by
 * OpenSearch's own bootstrap, which this launcher does not use: a test node needs none of them.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws Exception {
    String host = option(args, "--host", "127.0.0.1");
    String port = option(args, "--port", "9200");
    if (!InetAddress.getByName(host).isLoopbackAddress()) {
      System.err.println("vigil-opensearch: refusing to bind " + host + ": a test node binds a loopback address only");
      System.exit(2);
    }
    String data = option(args, "--data", null);
    boolean keep = data != null;
    Path home = keep ? Files.createDirectories(Path.of(data)) : Files.createTempDirectory("vigil-opensearch-");
    Settings settings =
        Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "vigil-test")
            .put("node.name", "vigil-test-node")
            .put("discovery.type", "single-node")
            .put("network.host", host)
            .put("http.port", port)
            .put("transport.port", "0")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            .put("bootstrap.memory_lock", false)
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();
    LogConfigurator.registerErrorListener();
    LogConfigurator.configureWithoutConfig(settings);
    Files.createDirectories(home.resolve("config"));
    Node node =
        new TestNode(
            settings,
            home.resolve("config"),
            List.of(
                Netty4Plugin.class,
                PainlessPlugin.class,
                CommonAnalysisPlugin.class,
                ReindexPlugin.class));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close(node, keep ? null : home);
                  stopped.countDown();
                }));
    node.start();
    ClusterHealthResponse health =
        node.client()
            .admin()
            .cluster()
            .prepareHealth()
            .setWaitForGreenStatus()
            .setTimeout(TimeValue.timeValueSeconds(60))
            .get();
    if (health.isTimedOut()) {
      System.err.println("vigil-opensearch: the cluster did not turn green within 60 s");
      System.exit(1);
    }
    TransportAddress address =
        node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
    System.out.println("OPENSEARCH_URL=http://" + address.getAddress() + ":" + address.getPort());
    System.out.flush();
    watchStdin();
    stopped.await();
  }

  /** Exits when stdin reaches its end: the parent process closed it or died. */
  private static void watchStdin() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // Nothing is read from stdin; it only says the parent is alive.
                }
              } catch (IOException ignored) {
                // A broken pipe means the parent is gone too.
              }
              System.exit(0);
            },
            "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Closes the node, then deletes {@code home} unless it is null (data kept). */
  private static void close(Node node, Path home) {
    try {
      node.close();
    } catch (IOException error) {
      System.err.println("vigil-opensearch: closing the node: " + error.getMessage());
    }
    if (home == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(home)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A temporary folder left behind is the operating system's to clean.
    }
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
