package io.neuroscope.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster (a Master and two Workers on 127.0.0.1) run by {@code
 * jobs/src/test/cluster/spark-cluster.sh}, for tests. The script runs as a child of the test JVM
 * with its stdin held open: {@link #close} tells it to stop, and if the JVM dies without closing
 * the pipe closes and the script stops the cluster anyway. Drivers are submitted as child JVMs
 * through {@code org.apache.spark.deploy.SparkSubmit}. Everything lives in one folder, {@link
 * #dir}; a process whose command line names that folder belongs to this cluster ({@link
 * #processes}).
 */
final class SparkCluster implements AutoCloseable {
  /**
   * A driver JVM started by {@link #submit}: its process, the port of its UI (and REST API) and its
   * log.
   */
  record Driver(String name, Process process, int uiPort, Path log) {
    String logText() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  final Path dir;
  final int masterPort;
  final int webUiPort;

  /** How long the cluster took to start. */
  Duration startup;

  private final Path script;
  private final Process process;
  private final List<Driver> drivers = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook = new Thread(this::stop, "spark-cluster-stop");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private boolean closed;

  private SparkCluster(Path script, Path dir, int masterPort, int webUiPort, Process process) {
    this.script = script;
    this.dir = dir;
    this.masterPort = masterPort;
    this.webUiPort = webUiPort;
    this.process = process;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts the cluster in {@code dir} (created) on free ports and waits until both Workers have
   * registered.
   */
  static SparkCluster start(Path script, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int masterPort = freePort(), webUiPort = freePort();
    long started = System.nanoTime();
    Process p =
        new ProcessBuilder(
                "bash",
                script.toString(),
                "run",
                dir.toString(),
                "--port",
                Integer.toString(masterPort),
                "--webui-port",
                Integer.toString(webUiPort))
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("cluster.log").toFile()))
            .start();
    SparkCluster cluster = new SparkCluster(script, dir, masterPort, webUiPort, p);
    CompletableFuture<String> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; )
                  if (line.startsWith("ready ")) return line;
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    String line;
    try {
      line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      line = null;
    }
    if (line == null) {
      cluster.close();
      throw new IllegalStateException(
          "the cluster did not start in "
              + timeout.toSeconds()
              + " s; "
              + dir.resolve("cluster.log")
              + " ends:\n"
              + tail(dir.resolve("cluster.log"), 30));
    }
    cluster.startup = Duration.ofNanos(System.nanoTime() - started);
    return cluster;
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /**
   * Starts {@code SparkSubmit} in client mode in a child JVM (the script's {@code submit}, which
   * execs java, so the process is the driver), with its UI on a free port; output to {@code
   * DIR/drivers/NAME.log}.
   */
  Driver submit(String name, List<String> sparkSubmitOptions, String jar, List<String> appArgs)
      throws IOException {
    int uiPort = freePort();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                script.toString(),
                "submit",
                dir.toString(),
                "--name",
                name,
                "--conf",
                "spark.ui.port=" + uiPort));
    cmd.addAll(sparkSubmitOptions);
    cmd.add(jar);
    cmd.addAll(appArgs);
    Path log = dir.resolve("drivers").resolve(name + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("DRIVER_MEMORY", "1g");
    Driver d = new Driver(name, pb.start(), uiPort, log);
    drivers.add(d);
    return d;
  }

  /** The Master's state ({@code /json/}): workers, cores, active and completed applications. */
  JsonNode master() {
    return get(webUiPort, "/json/")
        .orElseThrow(() -> new IllegalStateException("the Master's UI does not answer"));
  }

  /** GET from a driver's REST API ({@code /api/v1/...}); empty while it does not answer. */
  Optional<JsonNode> api(Driver d, String path) {
    return get(d.uiPort(), "/api/v1" + path);
  }

  private Optional<JsonNode> get(int port, String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(json.readTree(r.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The id of the driver's application, once its REST API answers. */
  String applicationId(Driver d, Duration timeout) throws InterruptedException {
    return await(
        "the application id of " + d.name(),
        timeout,
        d,
        () ->
            api(d, "/applications")
                .filter(a -> a.size() > 0)
                .map(a -> a.get(0).get("id").asText()));
  }

  /**
   * The JVM of executor {@code executorId} of application {@code appId}, found in the process
   * table.
   */
  Optional<ProcessHandle> executor(String appId, String executorId) {
    return processes().stream()
        .filter(
            p -> {
              List<String> args = List.of(commandLine(p).split("\0"));
              int app = args.indexOf("--app-id"), exec = args.indexOf("--executor-id");
              return args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
                  && app >= 0
                  && exec >= 0
                  && args.get(app + 1).equals(appId)
                  && args.get(exec + 1).equals(executorId);
            })
        .findFirst();
  }

  /** The executor JVMs of application {@code appId} alive now. */
  List<ProcessHandle> executors(String appId) {
    return processes().stream()
        .filter(
            p -> {
              String c = commandLine(p);
              return c.contains("CoarseGrainedExecutorBackend")
                  && c.contains("\0--app-id\0" + appId + "\0");
            })
        .toList();
  }

  /**
   * Every live process whose command line names this cluster's folder: daemons, executors, drivers.
   */
  List<ProcessHandle> processes() {
    String marker = dir.toString() + "/";
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self && p.isAlive() && commandLine(p).contains(marker))
        .toList();
  }

  /** {@code /proc/PID/cmdline}: the arguments separated by NUL ("" if the process is gone). */
  static String commandLine(ProcessHandle p) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Polls {@code probe} every 100 ms until it gives a value; fails after {@code timeout} or when
   * {@code driver} exits first.
   */
  static <T> T await(String what, Duration timeout, Driver driver, Supplier<Optional<T>> probe)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) return v.get();
      if (driver != null && !driver.process().isAlive()) {
        throw new AssertionError(
            "waiting for "
                + what
                + ": driver "
                + driver.name()
                + " exited with "
                + driver.process().exitValue()
                + "; its log ends:\n"
                + tail(driver.log(), 40));
      }
      if (System.nanoTime() > deadline)
        throw new AssertionError("waiting for " + what + ": nothing after " + timeout);
      Thread.sleep(100);
    }
  }

  /** Waits for the driver to exit; fails (killing it) after {@code timeout}. */
  static int exitCode(Driver d, Duration timeout) throws InterruptedException {
    if (!d.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      destroyTree(d.process().toHandle());
      throw new AssertionError(
          "driver "
              + d.name()
              + " still running after "
              + timeout
              + "; its log ends:\n"
              + tail(d.log(), 40));
    }
    return d.process().exitValue();
  }

  static String tail(Path file, int lines) {
    try (Stream<String> s = Files.lines(file)) {
      List<String> all = s.toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no " + file + ")";
    }
  }

  static void destroyTree(ProcessHandle p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /**
   * Ends the drivers, stops the cluster (its script stops the daemons and their executors) and ends
   * anything left.
   */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down
    }
  }

  private synchronized void stop() {
    if (closed) return;
    closed = true;
    for (Driver d : drivers) destroyTree(d.process().toHandle());
    if (process.isAlive()) {
      try (OutputStream in = process.getOutputStream()) {
        in.write("stop\n".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the script has gone; what it started is ended below
      }
      try {
        if (!process.waitFor(60, TimeUnit.SECONDS)) destroyTree(process.toHandle());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        destroyTree(process.toHandle());
      }
    }
    processes().forEach(ProcessHandle::destroyForcibly);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
