import { describe, expect, it } from 'vitest';
import { audienceSourceSql } from '../../../src/actions/audience-source-sql.js';
import { clickhouseDialect } from '../../../src/engine/clickhouse/clickhouse-dialect.js';
import { rewriteStarJoins } from '../../../src/engine/clickhouse/star-joins.js';

// The actions' star of derived tables (one JOIN per SELECT in ClickHouse 18.16) as a chain of single joins.
describe('rewriteStarJoins', () => {
  const star = audienceSourceSql(clickhouseDialect, ['customer_scores', 'customer_stages']);

  it('reads only the named columns of each table, renamed alias__column; the token keeps its name; strings are left alone', () => {
    const sql = rewriteStarJoins(`SELECT s.customer_id, c.predicted_clv_12m AS value FROM ${star} WHERE (g.\`stage\` IN ('g.stage', 'it''s') AND s.frequency > 1) ORDER BY s.customer_id`);
    expect(sql).toBe(
      "SELECT customer_id, `c__predicted_clv_12m` AS value FROM (SELECT customer_id, `s__frequency`, `c__predicted_clv_12m`, `g__stage` FROM (SELECT customer_id, `s__frequency`, `c__predicted_clv_12m` FROM (SELECT customer_id, `frequency` AS `s__frequency` FROM customer_summary) ALL LEFT JOIN (SELECT customer_id, `predicted_clv_12m` AS `c__predicted_clv_12m` FROM customer_scores) USING (customer_id)) ALL LEFT JOIN (SELECT customer_id, `stage` AS `g__stage` FROM customer_stages) USING (customer_id)) star_join WHERE (`g__stage` IN ('g.stage', 'it''s') AND `s__frequency` > 1) ORDER BY customer_id",
    );
  });

  it('a joined table nothing is read from is left out; other aliases and statements without a star are left alone', () => {
    const sql = rewriteStarJoins(`INSERT INTO picks SELECT 'p', s.customer_id FROM ${star} WHERE s.customer_id NOT IN (SELECT m.customer_id FROM audience_members m JOIN audiences a ON a.name = m.audience)`);
    expect(sql).toBe("INSERT INTO picks SELECT 'p', customer_id FROM (SELECT customer_id FROM customer_summary) star_join WHERE customer_id NOT IN (SELECT m.customer_id FROM audience_members m JOIN audiences a ON a.name = m.audience)");
    const plain = 'SELECT s.customer_id FROM customer_summary s JOIN clv_tuple_scores USING (frequency, recency, T)';
    expect(rewriteStarJoins(plain)).toBe(plain);
  });

  it('a subquery under another alias than the population\'s (s) is no star base: the clustering features joined to the scores stay as written', () => {
    // session 31: the population's rewrite took `FROM (features) f LEFT JOIN scores s` for a star and left `f.*` dangling
    const clustering = 'SELECT f.*, s.predicted_clv_12m AS predicted_value FROM (SELECT customer_id, 1 AS recency FROM customer_summary) f LEFT JOIN customer_scores s ON s.customer_id = f.customer_id ORDER BY f.recency, f.customer_id';
    expect(rewriteStarJoins(clustering)).toBe(clustering);
  });

  it('a population subquery (buyers and prospects) is the base of the chain, kept as written', () => {
    const withProspects = audienceSourceSql(clickhouseDialect, ['customer_stages', 'customer_prospects']);
    const population = withProspects.slice(0, withProspects.indexOf(' s LEFT JOIN'));
    expect(population).toMatch(/^\(SELECT .* FROM \(SELECT DISTINCT customer_id FROM \(SELECT CAST\(customer_id AS VARCHAR\) AS customer_id FROM `customer_summary` UNION ALL SELECT CAST\(customer_id AS VARCHAR\) AS customer_id FROM `customer_prospects`\) u\) ids LEFT JOIN \(SELECT .* FROM `customer_summary`\) x USING \(customer_id\)\)$/);
    const sql = rewriteStarJoins(`SELECT s.customer_id FROM ${withProspects} WHERE g.stage = 'prospect' AND (q.conversion_propensity > 0.3 OR s.frequency >= 3)`);
    expect(sql).toBe(
      `SELECT customer_id FROM (SELECT customer_id, \`s__frequency\`, \`g__stage\`, \`q__conversion_propensity\` FROM (SELECT customer_id, \`s__frequency\`, \`g__stage\` FROM (SELECT customer_id, \`frequency\` AS \`s__frequency\` FROM ${population}) ALL LEFT JOIN (SELECT customer_id, \`stage\` AS \`g__stage\` FROM customer_stages) USING (customer_id)) ALL LEFT JOIN (SELECT customer_id, \`conversion_propensity\` AS \`q__conversion_propensity\` FROM customer_prospects) USING (customer_id)) star_join WHERE \`g__stage\` = 'prospect' AND (\`q__conversion_propensity\` > 0.3 OR \`s__frequency\` >= 3)`,
    );
  });
});

