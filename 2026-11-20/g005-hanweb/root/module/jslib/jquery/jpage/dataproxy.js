function dataproxy(id,perpage){/* 大汉 jpage: renders the <datastore> records of #id */}
