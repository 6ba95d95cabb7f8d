import { gb11643CheckDigit } from '@crm/contracts';

/**
 * The benchmark bank: a head office, 4 branches in Zhejiang, 5 outlets each, 8 relationship
 * managers per outlet and 2 private bankers per branch. Customers are spread over the branches
 * unevenly (as a real bank's are) and generated from their sequence number alone, so every run
 * with the same count produces the same customers.
 */
export const HEAD_OFFICE = 'HO';
export const OUTLETS_PER_BRANCH = 5;
export const MANAGERS_PER_OUTLET = 8;

export interface BenchBranch {
  id: string;
  name: string;
  regionCode: string;
  /** Share of the customers whose primary institution is one of its outlets. */
  weight: number;
}

export const BRANCHES: readonly BenchBranch[] = [
  { id: 'BR01', name: '杭州分行', regionCode: '330106', weight: 0.4 },
  { id: 'BR02', name: '宁波分行', regionCode: '330212', weight: 0.25 },
  { id: 'BR03', name: '温州分行', regionCode: '330382', weight: 0.2 },
  { id: 'BR04', name: '金华分行', regionCode: '330782', weight: 0.15 },
];

export interface BenchInstitution {
  id: string;
  parentId: string | null;
  name: string;
  level: 'head-office' | 'branch' | 'outlet';
  regionCode: string;
}

export const outletId = (branch: BenchBranch, outlet: number): string =>
  `${branch.id}-OT${String(outlet + 1).padStart(2, '0')}`;

export function institutions(): BenchInstitution[] {
  return [
    { id: HEAD_OFFICE, parentId: null, name: '总行', level: 'head-office', regionCode: '330106' },
    ...BRANCHES.flatMap((branch): BenchInstitution[] => [
      {
        id: branch.id,
        parentId: HEAD_OFFICE,
        name: branch.name,
        level: 'branch',
        regionCode: branch.regionCode,
      },
      ...Array.from({ length: OUTLETS_PER_BRANCH }, (_, outlet) => ({
        id: outletId(branch, outlet),
        parentId: branch.id,
        name: `${branch.name}第${outlet + 1}支行`,
        level: 'outlet' as const,
        regionCode: branch.regionCode,
      })),
    ]),
  ];
}

/** Relationship manager `index` (0-based) of an outlet: E1 + 5 digits, as core banking numbers staff. */
const managerId = (branch: number, outlet: number, index: number): string =>
  `E1${String((branch * OUTLETS_PER_BRANCH + outlet) * 10 + index + 1).padStart(5, '0')}`;
const privateBankerId = (branch: number, index: number): string =>
  `E19${String(branch * 10 + index + 1).padStart(4, '0')}`;

export interface BenchCustomer {
  id: string;
  kind: 'individual' | 'corporate';
  name: string;
  gender: 'male' | 'female' | null;
  birthDate: string | null;
  industry: string | null;
  regionCode: string;
  homeInstitutionId: string;
  idNumber: string;
  phone: string;
  registeredOn: string;
  lifecycleStage: string;
  primaryManagerId: string;
  privateBankerId: string | null;
  keyCustomer: boolean;
  /** A second institution covering the customer (主协办: the 协办 side), with its manager. */
  secondary: { institutionId: string; managerId: string } | null;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗';
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '建华',
  '志强',
];
const FIRM_WORDS = ['华盛', '恒通', '明远', '鑫达', '瑞丰', '永泰', '德信', '同创'];
const INDUSTRIES = ['制造业', '批发和零售业', '建筑业', '信息技术服务业', '交通运输业'];
const STAGES = ['new', 'growing', 'mature', 'mature', 'mature', 'dormant'];

/** customer id of sequence number `n` (1-based): C1 + 11 digits; ids sort as the numbers do. */
export const customerId = (n: number): string => `C1${String(n).padStart(11, '0')}`;

/** A small deterministic PRNG (mulberry32): the same `n` always gives the same customer. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function pickBranch(random: number): number {
  let sum = 0;
  for (const [index, branch] of BRANCHES.entries()) {
    sum += branch.weight;
    if (random < sum) return index;
  }
  return BRANCHES.length - 1;
}

export function benchCustomer(n: number): BenchCustomer {
  const random = prng(n * 2654435761);
  const int = (below: number): number => Math.floor(random() * below);
  const branchIndex = pickBranch(random());
  const branch = BRANCHES[branchIndex];
  const outlet = int(OUTLETS_PER_BRANCH);
  const corporate = random() < 0.08;
  const birth = new Date(Date.UTC(1945 + int(61), int(12), 1 + int(28)));
  const birthDate = birth.toISOString().slice(0, 10);
  const registered = new Date(Date.UTC(2005 + int(21), int(12), 1 + int(28))).toISOString().slice(0, 10);
  const first17 = corporate
    ? `91${branch.regionCode}${pad(n % 1_000_000_000, 9)}`
    : `${branch.regionCode}${birthDate.replace(/-/g, '')}${pad(n % 1000, 3)}`;
  const female = random() < 0.5;

  let secondary: BenchCustomer['secondary'] = null;
  if (random() < 0.12) {
    // Mostly another outlet of the same branch, sometimes one in another city.
    const otherBranch = random() < 0.6 ? branchIndex : int(BRANCHES.length);
    const otherOutlet = (outlet + 1 + int(OUTLETS_PER_BRANCH - 1)) % OUTLETS_PER_BRANCH;
    secondary = {
      institutionId: outletId(BRANCHES[otherBranch], otherOutlet),
      managerId: managerId(otherBranch, otherOutlet, int(MANAGERS_PER_OUTLET)),
    };
  }
  return {
    id: customerId(n),
    kind: corporate ? 'corporate' : 'individual',
    name: corporate
      ? `${branch.name.slice(0, 2)}${FIRM_WORDS[int(FIRM_WORDS.length)]}${INDUSTRIES[int(INDUSTRIES.length)].slice(0, 2)}有限公司`
      : `${SURNAMES[int(SURNAMES.length)]}${GIVEN[int(GIVEN.length)]}`,
    gender: corporate ? null : female ? 'female' : 'male',
    birthDate: corporate ? null : birthDate,
    industry: corporate ? INDUSTRIES[int(INDUSTRIES.length)] : null,
    regionCode: branch.regionCode,
    homeInstitutionId: outletId(branch, outlet),
    idNumber: first17 + gb11643CheckDigit(first17),
    phone: `13${pad(int(1_000_000_000), 9)}`,
    registeredOn: registered,
    lifecycleStage: STAGES[int(STAGES.length)],
    primaryManagerId: managerId(branchIndex, outlet, int(MANAGERS_PER_OUTLET)),
    privateBankerId: random() < 0.03 ? privateBankerId(branchIndex, int(2)) : null,
    keyCustomer: random() < 0.05,
    secondary,
  };
}
