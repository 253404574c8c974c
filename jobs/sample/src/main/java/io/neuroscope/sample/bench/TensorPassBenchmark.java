package io.neuroscope.sample.bench;

import io.neuroscope.diagnostics.LayerInfo;
import io.neuroscope.diagnostics.Settings;
import io.neuroscope.diagnostics.TensorKind;
import io.neuroscope.diagnostics.TensorProbe;
import io.neuroscope.diagnostics.TensorStats;
import io.neuroscope.jobs.cli.Command;
import io.neuroscope.jobs.cli.Invocation;
import io.neuroscope.jobs.cli.Options;
import io.neuroscope.jobs.diagnostics.TensorPass;
import io.neuroscope.jobs.nightly.DiagnosticsStage;
import io.neuroscope.jobs.table.OutputTables;
import io.neuroscope.jobs.telemetry.Telemetry;
import io.neuroscope.jobs.telemetry.ValidatedTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code bin/neuroscope bench}: throughput of the tensor-statistics pass and of the whole
 * diagnostics job on a generated ≈200 M-float archive, next to two baselines measured in the same
 * run over the same files: a plain parquet-hadoop read of the values column, and a plain-Java
 * single-pass loop over the same floats in memory. Medians of {@code --repeat} runs, each on the
 * JVM's threads = cores, after a warm-up. When both the {@code pass} and {@code job} phases ran,
 * the output ends with {@code ratio job/pass = VALUE}: the whole job's median throughput over the
 * pass's, the share of the job's time that is the pass.
 */
public final class TensorPassBenchmark implements Command {
  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: neuroscope bench [--data PATH] [--runs 25] [--epochs 10] [--layers 3] [--width 256] [--files 8] [--repeat 3] [--regenerate]",
        "  generates a synthetic archive (default 25 x 10 x 3 x 4 tensors of 256 x 256 = 196.6 M floats) if missing,",
        "  then measures the tensor pass and the whole job against a parquet-hadoop read and an in-memory loop");
  }

  @Override
  public Options options() {
    return Options.of(
            "--data",
            "--runs",
            "--epochs",
            "--layers",
            "--width",
            "--files",
            "--repeat",
            "--phases")
        .withFlags("--regenerate");
  }

  @Override
  public int run(Invocation call) {
    return run(call, call.options());
  }

  private static int run(Invocation call, Map<String, String> opts) {
    String data = opts.getOrDefault("--data", "bench/telemetry");
    SyntheticTelemetry.Shape shape =
        new SyntheticTelemetry.Shape(
            Integer.parseInt(opts.getOrDefault("--runs", "25")),
            Integer.parseInt(opts.getOrDefault("--epochs", "10")),
            Integer.parseInt(opts.getOrDefault("--layers", "3")),
            Integer.parseInt(opts.getOrDefault("--width", "256")),
            Integer.parseInt(opts.getOrDefault("--files", "8")));
    int repeat = Integer.parseInt(opts.getOrDefault("--repeat", "3"));
    int threads = Runtime.getRuntime().availableProcessors();
    SparkSession spark = call.spark();
    {
      if (!Files.isDirectory(Path.of(data, "tensors")) || opts.containsKey("--regenerate")) {
        long t0 = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "generating %s: %d runs x %d epochs x %d layers x 4 kinds of %dx%d floats = %.1f M values%n",
            data,
            shape.runs(),
            shape.epochs(),
            shape.layers(),
            shape.width(),
            shape.width(),
            shape.values() / 1e6);
        SyntheticTelemetry.write(spark, data, shape);
        System.out.printf(Locale.ROOT, "generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      List<Path> files = parquetFiles(Path.of(data, "tensors"));
      Settings settings = Settings.defaults();

      Set<String> phases =
          Set.of(opts.getOrDefault("--phases", "loop,stats,parquet,spark,pass,job").split(","));
      double[] none = {Double.NaN, 1};
      double[] read =
          phases.contains("parquet") ? measure(repeat, () -> parquetRead(files, threads)) : none;
      double[] loop = none, stats = none;
      if (phases.contains("loop") || phases.contains("stats")) {
        List<float[]> arrays = loadArrays(files, threads);
        loop = measure(repeat, () -> inParallel(arrays, threads, TensorPassBenchmark::plainLoop));
        TensorProbe hiddenRelu =
            TensorProbe.of(
                TensorKind.ACTIVATIONS, new LayerInfo(0, "fc1", "relu", 256, 256), true, settings);
        stats =
            measure(
                repeat,
                () ->
                    inParallel(
                        arrays,
                        threads,
                        a ->
                            new TensorStats(hiddenRelu)
                                .add(a, a.length / shape.width(), shape.width())
                                .mean()));
        arrays.clear();
      }

      Telemetry telemetry = Telemetry.fromFolder(spark, data);
      double[] sparkRead =
          phases.contains("spark") ? measure(repeat, () -> sparkRead(spark, telemetry)) : none;
      Map<String, SortedMap<Integer, LayerInfo>> layers =
          phases.contains("pass") ? layersOf(telemetry) : Map.of();
      double[] pass =
          phases.contains("pass")
              ? measure(repeat, () -> tensorPass(spark, telemetry, layers, settings))
              : none;
      Path out = Path.of(data).toAbsolutePath().getParent().resolve("bench-output");
      SparkJobTimes times = new SparkJobTimes();
      double[] job =
          phases.contains("job")
              ? measure(
                  repeat,
                  () -> {
                    deleteRecursively(out);
                    spark.sparkContext().removeSparkListener(times);
                    times.clear();
                    spark.sparkContext().addSparkListener(times);
                  },
                  () ->
                      DiagnosticsStage.run(
                              telemetry, OutputTables.at(spark, out.toString()), settings, false)
                          .valuesRead())
              : none;
      spark.sparkContext().removeSparkListener(times);
      if (phases.contains("job")) System.out.print(times.report());

      double readRate = rate(read), loopRate = rate(loop);
      double values =
          Arrays.stream(new double[][] {read, loop, sparkRead, pass, job})
              .mapToDouble(m -> m[0])
              .filter(v -> !Double.isNaN(v))
              .max()
              .orElse(Double.NaN);
      System.out.printf(
          Locale.ROOT,
          "%nvalues: %.1f M in %d Parquet files; %d threads; median of %d runs%n",
          values / 1e6,
          files.size(),
          threads,
          repeat);
      System.out.printf(
          Locale.ROOT, "%-58s %10s %10s %10s%n", "", "M values/s", "/ loop", "/ parquet");
      row("plain-Java single-pass loop over the floats in memory", loop, loopRate, readRate);
      row("TensorStats (the job's per-element work) in memory", stats, loopRate, readRate);
      row("plain parquet-hadoop read of the values column", read, loopRate, readRate);
      row("Spark read only: toRdd + toFloatArray, no statistics", sparkRead, loopRate, readRate);
      row("job: tensor-statistics pass (Spark, end of pass)", pass, loopRate, readRate);
      row("job: whole diagnostics job, written to Delta", job, loopRate, readRate);
      if (phases.contains("pass") && phases.contains("job")) {
        // last, for scripts to read: the two medians' throughputs, as in the table's rows (over
        // the same values, so the pass's median time over the job's)
        System.out.printf(Locale.ROOT, "%nratio job/pass = %.2f%n", rate(job) / rate(pass));
      }
      return 0;
    }
  }

  /** [values, seconds] of the median run, after one warm-up. */
  private static double[] measure(int repeat, java.util.function.LongSupplier work) {
    return measure(repeat, () -> {}, work);
  }

  /** The same, with untimed setup before each run. */
  private static double[] measure(
      int repeat, Runnable setup, java.util.function.LongSupplier work) {
    setup.run();
    var unused = work.getAsLong(); // a warm-up: its count is not a measurement
    List<double[]> runs = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      setup.run();
      long t0 = System.nanoTime();
      long values = work.getAsLong();
      runs.add(new double[] {values, (System.nanoTime() - t0) / 1e9});
    }
    runs.sort(Comparator.comparingDouble(r -> r[1]));
    return runs.get(runs.size() / 2);
  }

  private static double rate(double[] m) {
    return m[0] / m[1] / 1e6;
  }

  private static void row(String name, double[] m, double loopRate, double readRate) {
    double r = rate(m);
    System.out.printf(
        Locale.ROOT, "%-58s %10.1f %10.2f %10.2f%n", name, r, r / loopRate, r / readRate);
  }

  /** The runs' layers, as the job reads them (validated); outside the pass's timing. */
  private static Map<String, SortedMap<Integer, LayerInfo>> layersOf(Telemetry t) {
    try (ValidatedTelemetry v = new ValidatedTelemetry(t)) {
      return v.collectLayers().byRun();
    }
  }

  private static long tensorPass(
      SparkSession spark,
      Telemetry t,
      Map<String, SortedMap<Integer, LayerInfo>> layers,
      Settings settings) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator values = spark.sparkContext().longAccumulator();
    String batchKey = "spark.sql.parquet.columnarReaderBatchSize";
    spark.conf().set(batchKey, 64);
    TensorPass.run(
            t.tensors(),
            false,
            jsc.broadcast(layers),
            jsc.broadcast(Set.of()),
            settings,
            values,
            Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions")))
        .count();
    spark.conf().unset(batchKey);
    return values.value();
  }

  /**
   * Spark jobs of the last whole-job run, with their descriptions and durations: where the time
   * goes.
   */
  private static final class SparkJobTimes extends org.apache.spark.scheduler.SparkListener {
    private final Map<Integer, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, Long> starts = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    void clear() {
      lines.clear();
    }

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
      String d =
          e.properties() == null ? null : e.properties().getProperty("spark.job.description");
      names.put(e.jobId(), d == null ? "job " + e.jobId() : d);
      starts.put(e.jobId(), e.time());
    }

    @Override
    public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %6d ms  %s",
              e.time() - starts.getOrDefault(e.jobId(), e.time()),
              names.get(e.jobId())));
    }

    String report() {
      return "\nSpark jobs of the last whole-job run:\n" + String.join("\n", lines) + "\n";
    }
  }

  /**
   * Spark's own floor for the pass: the same read path, each row's array copied out, nothing
   * computed.
   */
  private static long sparkRead(SparkSession spark, Telemetry t) {
    String batchKey = "spark.sql.parquet.columnarReaderBatchSize";
    spark.conf().set(batchKey, 64);
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> values = t.tensors().select("values");
    long n =
        ((org.apache.spark.sql.classic.Dataset<org.apache.spark.sql.Row>) values)
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .map(r -> (long) r.getArray(0).toFloatArray().length)
            .reduce(Long::sum);
    spark.conf().unset(batchKey);
    return n;
  }

  /** A single pass computing count, sum, sum of squares, min, max, zero and non-finite counts. */
  private static double plainLoop(float[] a) {
    double sum = 0, sq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    long zeros = 0, nonFinite = 0;
    for (float f : a) {
      double v = f;
      sum += v;
      sq += v * v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      if (Math.abs(v) <= 1e-8) zeros++;
      if (!Double.isFinite(v)) nonFinite++;
    }
    return sum + sq + min + max + zeros + nonFinite;
  }

  private static long inParallel(List<float[]> arrays, int threads, ToDoubleFunction<float[]> f) {
    AtomicInteger next = new AtomicInteger();
    return parallel(
        threads,
        () -> {
          long n = 0;
          double sink = 0;
          for (int i = next.getAndIncrement(); i < arrays.size(); i = next.getAndIncrement()) {
            sink += f.applyAsDouble(arrays.get(i));
            n += arrays.get(i).length;
          }
          return sink == 42.4242 ? n + 1 : n; // keeps the JIT from dropping the work
        });
  }

  /** Decodes the values column of every file with parquet-hadoop's column reader; no Spark. */
  private static long parquetRead(List<Path> files, int threads) {
    AtomicInteger next = new AtomicInteger();
    return parallel(
        threads,
        () -> {
          long n = 0;
          double sum = 0;
          for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            try (ValuesColumn c = new ValuesColumn(files.get(i))) {
              for (ColumnReader r = c.nextRowGroup(); r != null; r = c.nextRowGroup()) {
                for (long k = 0, total = r.getTotalValueCount(); k < total; k++) {
                  if (r.getCurrentDefinitionLevel() == c.maxDefinition) {
                    sum += r.getFloat();
                    n++;
                  }
                  r.consume();
                }
              }
            }
          }
          return sum == 42.4242 ? n + 1 : n;
        });
  }

  private static List<float[]> loadArrays(List<Path> files, int threads) {
    List<float[]> out = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    parallel(
        threads,
        () -> {
          for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            try (ValuesColumn c = new ValuesColumn(files.get(i))) {
              for (ColumnReader r = c.nextRowGroup(); r != null; r = c.nextRowGroup()) {
                float[] buf = new float[1 << 16];
                int len = 0;
                for (long k = 0, total = r.getTotalValueCount(); k < total; k++) {
                  if (r.getCurrentRepetitionLevel() == 0 && k > 0) {
                    out.add(Arrays.copyOf(buf, len));
                    len = 0;
                  }
                  if (r.getCurrentDefinitionLevel() == c.maxDefinition) {
                    if (len == buf.length) buf = Arrays.copyOf(buf, len * 2);
                    buf[len++] = r.getFloat();
                  }
                  r.consume();
                }
                if (len > 0) out.add(Arrays.copyOf(buf, len));
              }
            }
          }
          return 0L;
        });
    return out;
  }

  /** The {@code values} column of one Parquet file, row group by row group. */
  private static final class ValuesColumn implements AutoCloseable {
    final ParquetFileReader reader;
    final MessageType projection;
    final ColumnDescriptor column;
    final int maxDefinition;

    ValuesColumn(Path file) {
      try {
        reader =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toString()), new Configuration()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      projection = new MessageType("values_only", schema.getType("values"));
      reader.setRequestedSchema(projection);
      column = projection.getColumns().get(0);
      maxDefinition = column.getMaxDefinitionLevel();
    }

    ColumnReader nextRowGroup() {
      try {
        PageReadStore pages = reader.readNextRowGroup();
        if (pages == null) return null;
        return new ColumnReadStoreImpl(
                pages,
                new GroupRecordConverter(projection).getRootConverter(),
                projection,
                reader.getFooter().getFileMetaData().getCreatedBy())
            .getColumnReader(column);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static long parallel(int threads, java.util.concurrent.Callable<Long> task) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> fs = new ArrayList<>();
      for (int i = 0; i < threads; i++) fs.add(pool.submit(task));
      long n = 0;
      for (Future<Long> f : fs) n += f.get();
      return n;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
  }

  private static List<Path> parquetFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path p) {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
