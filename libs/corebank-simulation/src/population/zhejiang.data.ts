/**
 * Reference data for a fictional rural commercial bank in Zhejiang province: real GB/T 2260 division
 * codes and common names, made-up bank, streets and people.
 */
export const BANK_NAME = '之江农商银行';
export const PROVINCE_CODE = '330000';

export interface District {
  code: string;
  name: string;
  city: string;
  streets: readonly string[];
}

/** One district per branch, with the streets its outlets are named after. */
export const BRANCH_DISTRICTS: readonly District[] = [
  { code: '330106', name: '西湖', city: '杭州', streets: ['文三路', '古墩路', '转塘'] },
  { code: '330212', name: '鄞州', city: '宁波', streets: ['钟公庙', '姜山', '下应'] },
  { code: '330382', name: '乐清', city: '温州', streets: ['柳市', '虹桥', '北白象'] },
  { code: '330782', name: '义乌', city: '金华', streets: ['稠城', '佛堂', '苏溪'] },
];

/** The head office sits in Shangcheng district, Hangzhou. */
export const HEAD_OFFICE_REGION = '330102';

/** Where customers live: mostly the province, some from neighbouring provinces. */
export const HOME_REGIONS: readonly (readonly [string, number])[] = [
  ['330102', 4],
  ['330105', 4],
  ['330106', 6],
  ['330108', 3],
  ['330109', 6],
  ['330110', 5],
  ['330203', 3],
  ['330205', 2],
  ['330206', 2],
  ['330211', 2],
  ['330212', 5],
  ['330302', 3],
  ['330303', 2],
  ['330304', 2],
  ['330381', 3],
  ['330382', 4],
  ['330402', 2],
  ['330411', 2],
  ['330481', 2],
  ['330482', 2],
  ['330483', 3],
  ['330502', 2],
  ['330503', 2],
  ['330521', 2],
  ['330522', 3],
  ['330602', 2],
  ['330603', 3],
  ['330604', 2],
  ['330681', 4],
  ['330702', 2],
  ['330703', 2],
  ['330782', 5],
  ['330783', 2],
  ['340104', 1],
  ['360102', 1],
  ['410105', 1],
  ['430102', 1],
  ['510104', 1],
  ['320102', 1],
  ['310101', 1],
];

export const SURNAMES: readonly string[] = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '高',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '肖',
  '田',
  '董',
  '潘',
  '袁',
  '蔡',
  '蒋',
  '余',
  '于',
  '杜',
  '叶',
  '程',
  '魏',
  '苏',
  '吕',
  '丁',
  '任',
  '沈',
  '姚',
  '卢',
  '钱',
  '方',
  '金',
  '汪',
  '俞',
  '章',
  '楼',
  '应',
];

export const GIVEN_NAME_CHARS: readonly string[] = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
  '刚',
  '桂',
  '英',
  '华',
  '建',
  '国',
  '文',
  '斌',
  '晨',
  '浩',
  '宇',
  '欣',
  '怡',
  '婷',
  '琳',
  '雪',
  '佳',
  '俊',
  '鹏',
  '辉',
  '慧',
  '燕',
  '红',
  '波',
  '峰',
  '宁',
  '晓',
  '萍',
  '亮',
  '凯',
  '思',
  '雨',
  '梓',
  '轩',
  '涵',
  '子',
  '一',
  '诗',
  '嘉',
  '睿',
];

export const COMPANY_WORDS: readonly string[] = [
  '恒信',
  '华联',
  '永泰',
  '鑫达',
  '瑞丰',
  '天成',
  '东方',
  '宏远',
  '金桥',
  '海纳',
  '新源',
  '卓越',
  '顺达',
  '博雅',
  '联创',
];

/** Company name suffix per GB/T 4754 section used for simulated corporates. */
export const COMPANY_TRADES: readonly (readonly [string, string])[] = [
  ['C', '纺织'],
  ['C', '五金制品'],
  ['C', '电器'],
  ['C', '服饰'],
  ['F', '商贸'],
  ['F', '电子商务'],
  ['E', '建设工程'],
  ['G', '物流'],
  ['H', '餐饮管理'],
  ['I', '网络科技'],
  ['A', '农业开发'],
  ['L', '企业管理咨询'],
  ['K', '物业管理'],
];

/** Other banks' CNAPS participant codes and names, for transfers out of and into the bank. */
export const OTHER_BANKS: readonly { bankCode: string; bankName: string }[] = [
  { bankCode: '102331000019', bankName: '中国工商银行杭州分行' },
  { bankCode: '103331000026', bankName: '中国农业银行杭州分行' },
  { bankCode: '104331000033', bankName: '中国银行浙江省分行' },
  { bankCode: '105331000040', bankName: '中国建设银行浙江省分行' },
  { bankCode: '301331000057', bankName: '交通银行浙江省分行' },
  { bankCode: '308331000064', bankName: '招商银行杭州分行' },
  { bankCode: '309331000071', bankName: '兴业银行杭州分行' },
  { bankCode: '403331000088', bankName: '中国邮政储蓄银行浙江省分行' },
  { bankCode: '313331000095', bankName: '杭州银行' },
  { bankCode: '313332000012', bankName: '宁波银行' },
];

export const EMPLOYERS: readonly string[] = [
  '浙江省人民医院',
  '杭州市教育局',
  '阿里巴巴（中国）有限公司',
  '浙江吉利控股集团有限公司',
  '海康威视数字技术股份有限公司',
  '国网浙江省电力有限公司',
  '义乌小商品城集团',
  '宁波舟山港股份有限公司',
  '绍兴市越城区人民政府',
  '浙江大学',
];

/** ISO 18245 merchant categories people spend on, with a typical ticket (median CNY) and merchants. */
export const MERCHANT_CATEGORIES: readonly {
  mcc: string;
  median: string;
  merchants: readonly string[];
  weight: number;
}[] = [
  { mcc: '5411', median: '180', merchants: ['联华超市', '物美超市', '盒马鲜生'], weight: 30 },
  { mcc: '5812', median: '120', merchants: ['知味观', '外婆家', '绿茶餐厅'], weight: 25 },
  { mcc: '5541', median: '300', merchants: ['中石化加油站', '中石油加油站'], weight: 10 },
  { mcc: '5311', median: '600', merchants: ['银泰百货', '杭州大厦'], weight: 8 },
  { mcc: '5732', median: '2500', merchants: ['苏宁易购', '国美电器'], weight: 4 },
  { mcc: '5912', median: '90', merchants: ['老百姓大药房', '九州大药房'], weight: 6 },
  { mcc: '4111', median: '15', merchants: ['杭州地铁', '宁波公交'], weight: 10 },
  { mcc: '5944', median: '8000', merchants: ['周大福', '老凤祥'], weight: 1 },
  { mcc: '7011', median: '650', merchants: ['西湖国宾馆', '如家酒店'], weight: 3 },
  { mcc: '4511', median: '1500', merchants: ['东方航空', '南方航空'], weight: 3 },
];

export const BILLERS: readonly { name: string; median: string }[] = [
  { name: '国网浙江省电力有限公司', median: '180' },
  { name: '杭州市水务集团', median: '60' },
  { name: '中国移动浙江公司', median: '88' },
  { name: '杭州天然气有限公司', median: '75' },
];
