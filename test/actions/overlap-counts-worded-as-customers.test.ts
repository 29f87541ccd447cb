/**
 * A user trial (session 40): the overlap of a campaign with others read "(winback 4)" — an audience called
 * "winback 4", or four of something? The counts are now worded as customers: "(4 customers also in winback)".
 * groupHits words them for `campaign evaluate`'s overlap warnings, `audience create`'s overlap notes and the
 * playbook's suppression note alike.
 */
import { describe, expect, it } from 'vitest';
import { groupHits } from '../../src/actions/suppression-condition.js';
import { withMemoryWarehouse } from '../helpers/warehouse.js';

describe('groupHits words its counts as customers in the campaigns', () => {
  it('one campaign: "4 customers also in winback"; several: most first, the count of each said as customers', async () => {
    await withMemoryWarehouse(async (wh) => {
      const rows: string[] = [];
      for (let c = 1; c <= 10; c++) rows.push(`('mine', 'C${c}', 'control')`);
      for (let c = 1; c <= 4; c++) rows.push(`('winback', 'C${c}', 'treatment')`);
      for (let c = 4; c <= 5; c++) rows.push(`('spring', 'C${c}', 'treatment')`);
      rows.push(`('summer', 'C9', 'treatment')`);
      await wh.execute(`INSERT INTO audience_members (audience, customer_id, group_name) VALUES ${rows.join(', ')}`);
      const mine = "SELECT customer_id FROM audience_members WHERE audience = 'mine' AND group_name = 'control'";
      expect(await groupHits(wh, ['winback'], 'treatment', mine)).toEqual({ total: 4, campaigns: 1, named: '4 customers also in winback' });
      expect(await groupHits(wh, ['summer'], 'treatment', mine)).toEqual({ total: 1, campaigns: 1, named: '1 customer also in summer' });
      expect(await groupHits(wh, ['spring', 'summer', 'winback'], 'treatment', mine)).toEqual({ total: 6, campaigns: 3, named: '4 customers also in winback, 2 also in spring, 1 also in summer' });
    });
  });
});
