package io.neuroscope.jobs.table;

import io.neuroscope.jobs.error.NeuroScopeErrors;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Names in the Spark catalog, quoted part by part so that any character is taken as part of a name,
 * never as SQL: a database is one name ({@code neuroscope}, {@code my-db}) or a catalog and a
 * schema ({@code main.neuroscope}, as Unity Catalog names them).
 */
public final class CatalogNames {
  private CatalogNames() {}

  /** The parts of a database name: one, or catalog and schema. */
  public static List<String> parts(String database) {
    List<String> parts = Arrays.asList(database.split("\\.", -1));
    if (parts.size() > 2 || parts.stream().anyMatch(p -> p.isBlank())) {
      throw NeuroScopeErrors.badValue(
          "a database name", "NAME or CATALOG.SCHEMA (no empty part)", database);
    }
    return parts;
  }

  /** The database, quoted: {@code `my-db`} or {@code `main`.`neuroscope`}. */
  public static String database(String database) {
    return parts(database).stream().map(CatalogNames::quote).collect(Collectors.joining("."));
  }

  /** A table of the database, quoted. */
  public static String table(String database, String table) {
    return database(database) + "." + quote(table);
  }

  /** One name part in backticks (a backtick in it doubled). */
  public static String quote(String part) {
    return "`" + part.replace("`", "``") + "`";
  }
}
