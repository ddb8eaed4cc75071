"""The districts of Zhengzhou as first loaded; administrators edit them afterwards in the admin."""

DISTRICTS: list[tuple[str, str, str]] = [
    ("zhongyuan", "中原区", "district"),
    ("erqi", "二七区", "district"),
    ("guancheng", "管城回族区", "district"),
    ("jinshui", "金水区", "district"),
    ("shangjie", "上街区", "district"),
    ("huiji", "惠济区", "district"),
    ("gongyi", "巩义市", "city"),
    ("xingyang", "荥阳市", "city"),
    ("xinmi", "新密市", "city"),
    ("xinzheng", "新郑市", "city"),
    ("dengfeng", "登封市", "city"),
    ("zhongmou", "中牟县", "county"),
    ("zhengdong", "郑东新区", "zone"),
    ("jingkai", "经济技术开发区", "zone"),
    ("gaoxin", "高新技术产业开发区", "zone"),
    ("hangkong", "航空港区", "zone"),
]
