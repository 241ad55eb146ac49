package io.sessionstate.example.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Form login for one demo user, with at most two sessions at once; the home page, the visit counter
 * and the viewed products are public.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/", "/count", "/viewed", "/viewed/*", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(Customizer.withDefaults())
        // At most two sessions per user, across every node: a third sign-in ends the least
        // recently used, through the SessionRegistry the sessionstate starter provides.
        .sessionManagement(sessions -> sessions.maximumSessions(2))
        .logout(logout -> logout.logoutSuccessUrl("/"));
    return http.build();
  }

  @Bean
  UserDetailsService users() {
    // A demo user; {noop} stores the password as it is.
    return new InMemoryUserDetailsManager(
        User.withUsername("ada").password("{noop}lovelace").roles("USER").build());
  }
}
