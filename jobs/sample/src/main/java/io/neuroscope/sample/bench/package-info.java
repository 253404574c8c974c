/**
 * The benchmarks ({@code bench}, {@code bench-summaries}, {@code bench-nightly}) and the synthetic
 * archives they generate; each reports ratios against a baseline measured in the same run.
 */
package io.neuroscope.sample.bench;
