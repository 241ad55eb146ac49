/**
 * Spring Boot auto-configuration: a {@link io.sessionstate.SessionManager} over the configured
 * store, the servlet filter, a health indicator, and the {@code sessionstate.*} properties.
 */
@NullMarked
package io.sessionstate.spring.boot;

import org.jspecify.annotations.NullMarked;
