import { MemberRecords1700000100000 } from './1700000100000-MemberRecords';
import { MemberRegionStats1700000110000 } from './1700000110000-MemberRegionStats';
import { MemberHistory1700000126000 } from './1700000126000-MemberHistory';
import { MemberFacts1700000134000 } from './1700000134000-MemberFacts';
import { WorkLists1700000135000 } from './1700000135000-WorkLists';
import { QuorumIndex1700000136000 } from './1700000136000-QuorumIndex';
import { FactsRegion1700000137000 } from './1700000137000-FactsRegion';
import { MemberRegionStatsOnChange1700000138000 } from './1700000138000-MemberRegionStatsOnChange';
import { RegionStatsReadFromIndex1700000139000 } from './1700000139000-RegionStatsReadFromIndex';

/** Every migration of the members schema, oldest first. */
export const migrations = [MemberRecords1700000100000, MemberRegionStats1700000110000, MemberHistory1700000126000, MemberFacts1700000134000, WorkLists1700000135000, QuorumIndex1700000136000, FactsRegion1700000137000, MemberRegionStatsOnChange1700000138000, RegionStatsReadFromIndex1700000139000];
