package io.sessionstate.spring.boot;

import io.sessionstate.SessionStoreException;
import io.sessionstate.postgresql.PostgresSessionStore;
import io.sessionstate.spi.SessionStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The PostgreSQL store over the application's DataSource, when {@code
 * sessionstate.store=postgresql}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.sessionstate.postgresql.PostgresSessionStore")
@ConditionalOnProperty(prefix = "sessionstate", name = "store", havingValue = "postgresql")
final class PostgresqlStoreConfiguration {

  // The manager closes its store; the store never closes the application's DataSource.
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean(SessionStore.class)
  PostgresSessionStore sessionStateStore(
      SessionStateProperties properties, ObjectProvider<DataSource> dataSources) {
    DataSource dataSource = dataSources.getIfUnique();
    if (dataSource == null) {
      throw new SessionStateConfigurationException(
          "sessionstate.store is postgresql, but the application has no single DataSource bean to"
              + " keep the sessions in.",
          "Configure the application's DataSource (spring-boot-starter-jdbc and"
              + " spring.datasource.url=jdbc:postgresql://...), or mark one of several @Primary.");
    }
    StoreProperties.Postgresql own = properties.getPostgresql();
    PostgresSessionStore store;
    try {
      store =
          PostgresSessionStore.builder()
              .dataSource(dataSource)
              .schema(own.getSchema())
              .table(own.getTable())
              .unlogged(own.isUnlogged())
              // PostgreSQL is never an embedded database, so "embedded" creates nothing.
              .createSchema(
                  own.getInitializeSchema() == StoreProperties.SchemaInitialization.ALWAYS)
              .build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new SessionStateConfigurationException(
          "sessionstate.postgresql is invalid: " + e.getMessage(),
          "Change the sessionstate.postgresql.* properties.",
          e);
    }
    // Creates the table now, if asked, so that a schema problem fails startup, not a request.
    try {
      return store.start();
    } catch (SessionStoreException e) {
      store.close();
      throw new SessionStateConfigurationException(
          "The PostgreSQL session store could not start: " + e.getMessage(),
          "Check the application's DataSource, and that the sessions table exists (or set"
              + " sessionstate.postgresql.initialize-schema=always).",
          e);
    }
  }
}
